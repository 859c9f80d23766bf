/**
 * Real PNCP material the fake builds its records from: órgãos (with their unidades), fornecedores and objects taken
 * from the real sample pages in `shared/pncp-samples`, and one real record of each kind as the template whose field
 * names, nesting, nulls and quirks every generated record keeps. Generated once from the samples; not edited by hand.
 *
 * @internal
 */
export const samples = {
  "orgaos": [{
    "orgaoEntidade": {
      "cnpj": "90940172000138",
      "razaoSocial": "DEPARTAMENTO DE AGUA, ARROIOS E ESGOTO DE BAGE",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4301602",
      "codigoUnidade": "137263",
      "nomeUnidade": "DEPARTAMENTO DE ÁGUA E ESGOTOS DE BAGÉ",
      "ufSigla": "RS",
      "municipioNome": "Bagé"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01611339000197",
      "razaoSocial": "MUNICIPIO DE BALNEARIO PINHAL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4301636",
      "codigoUnidade": "10731",
      "nomeUnidade":
        "PODER EXECUTIVO MUNICIPAL DO BALNEÁRIO DE PINHAL  PODER EXECUTIVO MUNICIPAL DO BALNEÁRIO DE PINHAL",
      "ufSigla": "RS",
      "municipioNome": "Balneário Pinhal"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "92773142000100",
      "razaoSocial": "ASSOCIACAO SULINA DE CREDITO E ASSISTENCIA RURAL",
      "poderId": "N",
      "esferaId": "N"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4314902",
      "codigoUnidade": "126220",
      "nomeUnidade": "ASSOCIAÇÃO SULINA DE CRÉDITO E ASSISTÊNCIA RURAL",
      "ufSigla": "RS",
      "municipioNome": "Porto Alegre"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "91987669000174",
      "razaoSocial": "MUNICIPIO DE MONTE BELO DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4312385",
      "codigoUnidade": "154689",
      "nomeUnidade": "GABINETE DO PREFEITO MUNICÍPIO DE MONTE BELO DO SUL",
      "ufSigla": "RS",
      "municipioNome": "Monte Belo do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "06554430000131",
      "razaoSocial": "MUNICIPIO DE PARNAIBA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Piauí",
      "codigoIbge": "2207702",
      "codigoUnidade": "1",
      "nomeUnidade": "MUNICIPIO DE PARNAIBA",
      "ufSigla": "PI",
      "municipioNome": "Parnaíba"
    }
  }, {
    "orgaoEntidade": { "cnpj": "27174093000127", "razaoSocial": "MUNICIPIO DA SERRA", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Espírito Santo",
      "codigoIbge": "3205002",
      "codigoUnidade": "1",
      "nomeUnidade": "PREFEITURA MUNICIPAL DA SERRA",
      "ufSigla": "ES",
      "municipioNome": "Serra"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "46482832000192",
      "razaoSocial": "MUNICIPIO DE SAO SEBASTIAO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "São Paulo",
      "codigoIbge": "3550704",
      "codigoUnidade": "0000",
      "nomeUnidade": "PREFEITURA MUNICIPAL",
      "ufSigla": "SP",
      "municipioNome": "São Sebastião"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "00394460005887",
      "razaoSocial": "MINISTERIO DA ECONOMIA",
      "poderId": "E",
      "esferaId": "F"
    },
    "unidadeOrgao": {
      "ufNome": "São Paulo",
      "codigoIbge": "3550308",
      "codigoUnidade": "800100",
      "nomeUnidade": "Superintendência Regional da Receita Federal do Brasil da 8ª Região Fiscal",
      "ufSigla": "SP",
      "municipioNome": "São Paulo"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "02585924000122",
      "razaoSocial": "SECRETARIA DE ESTADO DE EDUCACAO DE MATO GROSSO DO SUL",
      "poderId": "E",
      "esferaId": "E"
    },
    "unidadeOrgao": {
      "ufNome": "Mato Grosso do Sul",
      "codigoIbge": "5003306",
      "codigoUnidade": "50003542",
      "nomeUnidade": "APM EE VIRIATO BANDEIRA",
      "ufSigla": "MS",
      "municipioNome": "Coxim"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "87958625000149",
      "razaoSocial": "SECRETARIA DA SAUDE",
      "poderId": "E",
      "esferaId": "E"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4314902",
      "codigoUnidade": "149357",
      "nomeUnidade": "SECRETARIA DA SAÚDE DO ESTADO DO RIO GRANDE DO SUL",
      "ufSigla": "RS",
      "municipioNome": "Porto Alegre"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10730223000168",
      "razaoSocial": "CAMARA DE VEREADORES DE FAZENDA VILANOVA",
      "poderId": "L",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4308078",
      "codigoUnidade": "84301",
      "nomeUnidade": "CÂMARA MUNICIPAL DE FAZENDA VILANOVA",
      "ufSigla": "RS",
      "municipioNome": "Fazenda Vilanova"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "04215147000150",
      "razaoSocial": "MUNICIPIO DE WESTFALIA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4323770",
      "codigoUnidade": "1",
      "nomeUnidade": "Prefeitura Municipal de Westfália",
      "ufSigla": "RS",
      "municipioNome": "Westfália"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102814000164",
      "razaoSocial": "MUNICIPIO DE RODEIO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4215109",
      "codigoUnidade": "CIN351",
      "nomeUnidade": "MUNICÍPIO DE RODEIO",
      "ufSigla": "SC",
      "municipioNome": "Rodeio"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82575812000120",
      "razaoSocial": "MUNICIPIO DE PORTO BELO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213500",
      "codigoUnidade": "CIN503",
      "nomeUnidade": "MUNICÍPIO DE PORTO BELO",
      "ufSigla": "SC",
      "municipioNome": "Porto Belo"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "95990107000130",
      "razaoSocial": "MUNICIPIO DE SUL BRASIL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4217758",
      "codigoUnidade": "CIN412",
      "nomeUnidade": "MUNICÍPIO DE SUL BRASIL",
      "ufSigla": "SC",
      "municipioNome": "Sul Brasil"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102798000100",
      "razaoSocial": "MUNICIPIO DE INDAIAL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207502",
      "codigoUnidade": "CIN661",
      "nomeUnidade": "MUNICÍPIO DE INDAIAL",
      "ufSigla": "SC",
      "municipioNome": "Indaial"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "86051398000100",
      "razaoSocial": "MUNICIPIO DE SAO BENTO DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4215802",
      "codigoUnidade": "CIN435",
      "nomeUnidade": "MUNICÍPIO DE SÃO BENTO DO SUL",
      "ufSigla": "SC",
      "municipioNome": "São Bento do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102483000162",
      "razaoSocial": "MUNICIPIO DE MASSARANDUBA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4210605",
      "codigoUnidade": "CIN364",
      "nomeUnidade": "MUNICÍPIO DE MASSARANDUBA",
      "ufSigla": "SC",
      "municipioNome": "Massaranduba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82777251000141",
      "razaoSocial": "MUNICIPIO DE TREZE TILIAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218509",
      "codigoUnidade": "CIN114",
      "nomeUnidade": "MUNICÍPIO DE TREZE TÍLIAS",
      "ufSigla": "SC",
      "municipioNome": "Treze Tílias"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82947979000174",
      "razaoSocial": "MUNICIPIO DE FRAIBURGO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205506",
      "codigoUnidade": "CIN1",
      "nomeUnidade": "MUNICÍPIO DE FRAIBURGO",
      "ufSigla": "SC",
      "municipioNome": "Fraiburgo"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82892373000189",
      "razaoSocial": "MUNICIPIO DE GOVERNADOR CELSO RAMOS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206009",
      "codigoUnidade": "CIN534",
      "nomeUnidade": "MUNICÍPIO DE GOVERNADOR CELSO RAMOS",
      "ufSigla": "SC",
      "municipioNome": "Governador Celso Ramos"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82915232000134",
      "razaoSocial": "MUNICIPIO DE TIMBE DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218103",
      "codigoUnidade": "CIN799",
      "nomeUnidade": "MUNICÍPIO DE TIMBÉ DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Timbé do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11420595000150",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE PALMITOS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212106",
      "codigoUnidade": "CIN801",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE PALMITOS",
      "ufSigla": "SC",
      "municipioNome": "Palmitos"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "09522642000125",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE RANCHO QUEIMADO",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4214300",
      "codigoUnidade": "CIN188",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE RANCHO QUEIMADO",
      "ufSigla": "SC",
      "municipioNome": "Rancho Queimado"
    }
  }, {
    "orgaoEntidade": { "cnpj": "82765488000102", "razaoSocial": "MUNICIPIO DE TAIO", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4217808",
      "codigoUnidade": "CIN305",
      "nomeUnidade": "MUNICÍPIO DE TAIÓ",
      "ufSigla": "SC",
      "municipioNome": "Taió"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102293000145",
      "razaoSocial": "MUNICIPIO DE CAMBORIU",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203204",
      "codigoUnidade": "CIN274",
      "nomeUnidade": "MUNICÍPIO DE CAMBORIÚ",
      "ufSigla": "SC",
      "municipioNome": "Camboriú"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10455823000165",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE CONCORDIA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204301",
      "codigoUnidade": "CIN695",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE CONCORDIA",
      "ufSigla": "SC",
      "municipioNome": "Concórdia"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "13170158000151",
      "razaoSocial": "FUNDO MUN. DE ASSISTENCIA SOCIAL DE JARAGUA DO SUL-FMAS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208906",
      "codigoUnidade": "CIN345",
      "nomeUnidade": "FUNDO MUNICIPAL DE ASSISTENCIA SOCIAL DE JARAGUÁ DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Jaraguá do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102285000107",
      "razaoSocial": "MUNICIPIO DE BALNEARIO CAMBORIU",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202008",
      "codigoUnidade": "CIN668",
      "nomeUnidade": "MUNICÍPIO DE BALNEÁRIO CAMBORIÚ",
      "ufSigla": "SC",
      "municipioNome": "Balneário Camboriú"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82928656000133",
      "razaoSocial": "MUNICIPIO DE TUBARAO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218707",
      "codigoUnidade": "CIN438",
      "nomeUnidade": "MUNICÍPIO DE TUBARÃO",
      "ufSigla": "SC",
      "municipioNome": "Tubarão"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82926569000147",
      "razaoSocial": "MUNICIPIO DE GRAVATAL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206207",
      "codigoUnidade": "CIN477",
      "nomeUnidade": "MUNICÍPIO DE GRAVATAL",
      "ufSigla": "SC",
      "municipioNome": "Gravatal"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10540697000147",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE FORQUILHINHA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205456",
      "codigoUnidade": "CIN619",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE FORQUILHINHA",
      "ufSigla": "SC",
      "municipioNome": "Forquilhinha"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01594009000130",
      "razaoSocial": "MUNICIPIO DE BOM JESUS DO OESTE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202578",
      "codigoUnidade": "CIN356",
      "nomeUnidade": "MUNICÍPIO DE BOM JESUS DO OESTE",
      "ufSigla": "SC",
      "municipioNome": "Bom Jesus do Oeste"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82892308000153",
      "razaoSocial": "MUNICIPIO DE BIGUACU",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202305",
      "codigoUnidade": "CIN349",
      "nomeUnidade": "MUNICÍPIO DE BIGUAÇU",
      "ufSigla": "SC",
      "municipioNome": "Biguaçu"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102418000137",
      "razaoSocial": "MUNICIPIO DE IBIRAMA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206900",
      "codigoUnidade": "CIN359",
      "nomeUnidade": "MUNICÍPIO DE IBIRAMA",
      "ufSigla": "SC",
      "municipioNome": "Ibirama"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82827999000101",
      "razaoSocial": "MUNICIPIO DE TANGARA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4217907",
      "codigoUnidade": "CIN18",
      "nomeUnidade": "MUNICÍPIO DE TANGARÁ",
      "ufSigla": "SC",
      "municipioNome": "Tangará"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "15408168000108",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE CAPAO ALTO",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203253",
      "codigoUnidade": "CIN343",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE CAPÃO ALTO",
      "ufSigla": "SC",
      "municipioNome": "Capão Alto"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "81140303000101",
      "razaoSocial": "MUNICIPIO DE ITAPOA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208450",
      "codigoUnidade": "CIN157",
      "nomeUnidade": "MUNICÍPIO DE ITAPOÁ",
      "ufSigla": "SC",
      "municipioNome": "Itapoá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "80912009000108",
      "razaoSocial": "MUNICIPIO DE PARAISO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212239",
      "codigoUnidade": "CIN647",
      "nomeUnidade": "MUNICÍPIO DE PARAÍSO",
      "ufSigla": "SC",
      "municipioNome": "Paraíso"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "80912108000190",
      "razaoSocial": "MUNICIPIO DE BELMONTE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202156",
      "codigoUnidade": "CIN831",
      "nomeUnidade": "MUNICÍPIO DE BELMONTE",
      "ufSigla": "SC",
      "municipioNome": "Belmonte"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83021857000115",
      "razaoSocial": "MUNICIPIO DE PINHALZINHO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212908",
      "codigoUnidade": "CIN518",
      "nomeUnidade": "MUNICÍPIO DE PINHALZINHO",
      "ufSigla": "SC",
      "municipioNome": "Pinhalzinho"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102756000179",
      "razaoSocial": "MUNICIPIO DE RIO NEGRINHO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4215000",
      "codigoUnidade": "CIN109",
      "nomeUnidade": "MUNICÍPIO DE RIO NEGRINHO",
      "ufSigla": "SC",
      "municipioNome": "Rio Negrinho"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10594533000100",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE JOACABA - FMS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4209003",
      "codigoUnidade": "CIN104",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE JOAÇABA",
      "ufSigla": "SC",
      "municipioNome": "Joaçaba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102400000135",
      "razaoSocial": "MUNICIPIO DE TRES BARRAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218301",
      "codigoUnidade": "CIN255",
      "nomeUnidade": "MUNICÍPIO DE TRÊS BARRAS",
      "ufSigla": "SC",
      "municipioNome": "Três Barras"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "14756846000160",
      "razaoSocial": "FUNDO MUNICIPAL DE ASSISTENCI SOCIAL",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207106",
      "codigoUnidade": "CIN537",
      "nomeUnidade": "FUNDO MUNICIPAL DE ASSISTENCIA SOCIAL DE ILHOTA",
      "ufSigla": "SC",
      "municipioNome": "Ilhota"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "75438655000145",
      "razaoSocial": "MUNICIPIO DE CORREIA PINTO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204558",
      "codigoUnidade": "CIN293",
      "nomeUnidade": "MUNICÍPIO DE CORREIA PINTO",
      "ufSigla": "SC",
      "municipioNome": "Correia Pinto"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10788473000159",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE ILHOTA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207106",
      "codigoUnidade": "CIN536",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE ILHOTA",
      "ufSigla": "SC",
      "municipioNome": "Ilhota"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "78511052000110",
      "razaoSocial": "MUNICIPIO DE ABDON BATISTA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4200051",
      "codigoUnidade": "CIN45",
      "nomeUnidade": "MUNICÍPIO DE ABDON BATISTA",
      "ufSigla": "SC",
      "municipioNome": "Abdon Batista"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102244000102",
      "razaoSocial": "MUNICIPIO DE GASPAR",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205902",
      "codigoUnidade": "CIN371",
      "nomeUnidade": "MUNICÍPIO DE GASPAR",
      "ufSigla": "SC",
      "municipioNome": "Gaspar"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83754044000134",
      "razaoSocial": "MUNICIPIO DE CURITIBANOS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204806",
      "codigoUnidade": "CIN46",
      "nomeUnidade": "MUNICÍPIO DE CURITIBANOS",
      "ufSigla": "SC",
      "municipioNome": "Curitibanos"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83108357000115",
      "razaoSocial": "MUNICIPIO DE BLUMENAU",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202404",
      "codigoUnidade": "CIN574",
      "nomeUnidade": "MUNICÍPIO DE BLUMENAU",
      "ufSigla": "SC",
      "municipioNome": "Blumenau"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01941360000150",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203303",
      "codigoUnidade": "CIN430",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE CAMPO ALEGRE",
      "ufSigla": "SC",
      "municipioNome": "Campo Alegre"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102459000123",
      "razaoSocial": "MUNICIPIO DE JARAGUA DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208906",
      "codigoUnidade": "CIN339",
      "nomeUnidade": "MUNICÍPIO DE JARAGUÁ DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Jaraguá do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11840546000177",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE LAGES",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4209300",
      "codigoUnidade": "CIN234",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE LAGES",
      "ufSigla": "SC",
      "municipioNome": "Lages"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11344960000195",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE GUABIRUBA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206306",
      "codigoUnidade": "CIN826",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE GUABIRUBA",
      "ufSigla": "SC",
      "municipioNome": "Guabiruba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "14007211000160",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE JARAGUA DO SUL",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208906",
      "codigoUnidade": "CIN344",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE JARAGUÁ DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Jaraguá do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102608000154",
      "razaoSocial": "MUNICIPIO DE ALFREDO WAGNER",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4200705",
      "codigoUnidade": "CIN471",
      "nomeUnidade": "MUNICÍPIO DE ALFREDO WAGNER",
      "ufSigla": "SC",
      "municipioNome": "Alfredo Wagner"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "78505591000146",
      "razaoSocial": "MUNICIPIO DE UNIAO DO OESTE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218855",
      "codigoUnidade": "CIN406",
      "nomeUnidade": "MUNICÍPIO DE UNIÃO DO OESTE",
      "ufSigla": "SC",
      "municipioNome": "União do Oeste"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102251000104",
      "razaoSocial": "MUNICIPIO DE POMERODE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213203",
      "codigoUnidade": "CIN659",
      "nomeUnidade": "MUNICÍPIO DE POMERODE",
      "ufSigla": "SC",
      "municipioNome": "Pomerode"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "08857731000160",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE GOV CELSO RAMOS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206009",
      "codigoUnidade": "CIN554",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE GOVERNADOR CELSO RAMOS",
      "ufSigla": "SC",
      "municipioNome": "Governador Celso Ramos"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102582000144",
      "razaoSocial": "MUNICIPIO DE AGROLANDIA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4200200",
      "codigoUnidade": "CIN225",
      "nomeUnidade": "MUNICÍPIO DE AGROLÂNDIA",
      "ufSigla": "SC",
      "municipioNome": "Agrolândia"
    }
  }, {
    "orgaoEntidade": { "cnpj": "83102327000100", "razaoSocial": "MUNICIPIO DE PENHA", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212502",
      "codigoUnidade": "CIN530",
      "nomeUnidade": "MUNICÍPIO DE PENHA",
      "ufSigla": "SC",
      "municipioNome": "Penha"
    }
  }, {
    "orgaoEntidade": { "cnpj": "82916800000111", "razaoSocial": "MUNICIPIO DE ICARA", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207007",
      "codigoUnidade": "CIN270",
      "nomeUnidade": "MUNICÍPIO DE IÇARA",
      "ufSigla": "SC",
      "municipioNome": "Içara"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82926551000145",
      "razaoSocial": "MUNICIPIO DE BRACO DO NORTE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202800",
      "codigoUnidade": "CIN502",
      "nomeUnidade": "MUNICÍPIO DE BRAÇO DO NORTE",
      "ufSigla": "SC",
      "municipioNome": "Braço do Norte"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102301000153",
      "razaoSocial": "MUNICIPIO DE ILHOTA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207106",
      "codigoUnidade": "CIN533",
      "nomeUnidade": "MUNICÍPIO DE ILHOTA",
      "ufSigla": "SC",
      "municipioNome": "Ilhota"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82939380000199",
      "razaoSocial": "MUNICIPIO DE JOACABA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4209003",
      "codigoUnidade": "CIN103",
      "nomeUnidade": "MUNICÍPIO DE JOAÇABA",
      "ufSigla": "SC",
      "municipioNome": "Joaçaba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11299998000193",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE PALMEIRA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212056",
      "codigoUnidade": "CIN231",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DO MUNICÍPIO DE PALMEIRA",
      "ufSigla": "SC",
      "municipioNome": "Palmeira"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "06073250000138",
      "razaoSocial": "SECRETARIA MUNICIPAL DE EDUCACAO E CULTURA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207106",
      "codigoUnidade": "CIN539",
      "nomeUnidade": "SECRETARIA MUNICIPAL DE EDUCACAO E CULTURA",
      "ufSigla": "SC",
      "municipioNome": "Ilhota"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102806000118",
      "razaoSocial": "MUNICIPIO DE RIO DOS CEDROS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4214706",
      "codigoUnidade": "CIN238",
      "nomeUnidade": "MUNICÍPIO DE RIO DOS CEDROS",
      "ufSigla": "SC",
      "municipioNome": "Rio dos Cedros"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "42973647000140",
      "razaoSocial":
        "CONSORCIO INTERMUNICIPAL DE DESENVOLVIMENTO DA INFRAESTRUTURA RODOVIARIA ENTRE OS RIOS - CIDIRIOS",
      "poderId": "E",
      "esferaId": "N"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207684",
      "codigoUnidade": "CIN748",
      "nomeUnidade":
        "CONSORCIO INTERMUNICIPAL DE DESENVOLVIMENTO DA INFRAESTRUTURA RODOVIARIA ENTRE OS RIOS - CIDIRIOS",
      "ufSigla": "SC",
      "municipioNome": "Ipuaçu"
    }
  }, {
    "orgaoEntidade": { "cnpj": "82854670000130", "razaoSocial": "MUNICIPIO DE XAXIM", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4219705",
      "codigoUnidade": "CIN107",
      "nomeUnidade": "MUNICÍPIO DE XAXIM",
      "ufSigla": "SC",
      "municipioNome": "Xaxim"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82572207000103",
      "razaoSocial": "MUNICIPIO DE ITAPEMA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208302",
      "codigoUnidade": "CIN908",
      "nomeUnidade": "MUNICÍPIO DE ITAPEMA",
      "ufSigla": "SC",
      "municipioNome": "Itapema"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01612888000186",
      "razaoSocial": "MUNICIPIO DE BELA VISTA DO TOLDO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202131",
      "codigoUnidade": "CIN613",
      "nomeUnidade": "MUNICÍPIO DE BELA VISTA DO TOLDO",
      "ufSigla": "SC",
      "municipioNome": "Bela Vista do Toldo"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "75326066000175",
      "razaoSocial": "MUNICIPIO DE OTACILIO COSTA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4211751",
      "codigoUnidade": "CIN265",
      "nomeUnidade": "MUNICÍPIO DE OTACÍLIO COSTA",
      "ufSigla": "SC",
      "municipioNome": "Otacílio Costa"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83021824000175",
      "razaoSocial": "MUNICIPIO DE CORONEL FREITAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204400",
      "codigoUnidade": "CIN817",
      "nomeUnidade": "MUNICÍPIO DE CORONEL FREITAS",
      "ufSigla": "SC",
      "municipioNome": "Coronel Freitas"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82911249000113",
      "razaoSocial": "MUNICIPIO DE ARARANGUA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4201406",
      "codigoUnidade": "CIN875",
      "nomeUnidade": "MUNICÍPIO DE ARARANGUÁ",
      "ufSigla": "SC",
      "municipioNome": "Araranguá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83074294000123",
      "razaoSocial": "MUNICIPIO DE RIO DAS ANTAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4214409",
      "codigoUnidade": "CIN16",
      "nomeUnidade": "MUNICÍPIO DE RIO DAS ANTAS",
      "ufSigla": "SC",
      "municipioNome": "Rio das Antas"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "17710115000172",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE PESCARIA BRAVA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212650",
      "codigoUnidade": "CIN598",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE PESCARIA BRAVA",
      "ufSigla": "SC",
      "municipioNome": "Pescaria Brava"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01616039000109",
      "razaoSocial": "MUNICIPIO DE FREI ROGERIO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205555",
      "codigoUnidade": "CIN36",
      "nomeUnidade": "MUNICÍPIO DE FREI ROGÉRIO",
      "ufSigla": "SC",
      "municipioNome": "Frei Rogério"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11485410000196",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DO MUNICIPIO DE ITAPOA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208450",
      "codigoUnidade": "CIN159",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DO MUNICÍPIO DE ITAPOA",
      "ufSigla": "SC",
      "municipioNome": "Itapoá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "95990255000155",
      "razaoSocial": "MUNICIPIO DE PLANALTO ALEGRE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213153",
      "codigoUnidade": "CIN290",
      "nomeUnidade": "MUNICÍPIO DE PLANALTO ALEGRE",
      "ufSigla": "SC",
      "municipioNome": "Planalto Alegre"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82836057000190",
      "razaoSocial": "MUNICIPIO DE GAROPABA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205704",
      "codigoUnidade": "CIN578",
      "nomeUnidade": "MUNICÍPIO DE GAROPABA",
      "ufSigla": "SC",
      "municipioNome": "Garopaba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102350000196",
      "razaoSocial": "MUNICIPIO DE BOTUVERA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202701",
      "codigoUnidade": "CIN287",
      "nomeUnidade": "MUNICÍPIO DE BOTUVERÁ",
      "ufSigla": "SC",
      "municipioNome": "Botuverá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01613853000161",
      "razaoSocial": "MUNICIPIO DE BRUNOPOLIS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202875",
      "codigoUnidade": "CIN34",
      "nomeUnidade": "MUNICÍPIO DE BRUNÓPOLIS",
      "ufSigla": "SC",
      "municipioNome": "Brunópolis"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102228000110",
      "razaoSocial": "MUNICIPIO DE ARAQUARI",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4201307",
      "codigoUnidade": "CIN549",
      "nomeUnidade": "MUNICÍPIO DE ARAQUARI",
      "ufSigla": "SC",
      "municipioNome": "Araquari"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10568451000183",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207304",
      "codigoUnidade": "CIN464",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE IMBITUBA",
      "ufSigla": "SC",
      "municipioNome": "Imbituba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01612116000144",
      "razaoSocial": "MUNICIPIO DE CUNHATAI",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204756",
      "codigoUnidade": "CIN451",
      "nomeUnidade": "MUNICÍPIO DE CUNHATAÍ",
      "ufSigla": "SC",
      "municipioNome": "Cunhataí"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10391817000191",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE CATANDUVAS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204004",
      "codigoUnidade": "CIN156",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE CATANDUVAS",
      "ufSigla": "SC",
      "municipioNome": "Catanduvas"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "95992020000100",
      "razaoSocial": "MUNICIPIO DE MACIEIRA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4210050",
      "codigoUnidade": "CIN13",
      "nomeUnidade": "MUNICÍPIO DE MACIEIRA",
      "ufSigla": "SC",
      "municipioNome": "Macieira"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "45084018000157",
      "razaoSocial": "INSTITUTO MUNICIPAL DO MEIO AMBIENTE DE GAROPABA - IMAG",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205704",
      "codigoUnidade": "CIN690",
      "nomeUnidade": "INSTITUTO MUNICIPAL DO MEIO AMBIENTE DE GAROPABA - IMAG",
      "ufSigla": "SC",
      "municipioNome": "Garopaba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83021816000129",
      "razaoSocial": "MUNICIPIO DE CAXAMBU DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204103",
      "codigoUnidade": "CIN978",
      "nomeUnidade": "MUNICIPIO DE CAXAMBU DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Caxambu do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102343000194",
      "razaoSocial": "MUNICIPIO DE BRUSQUE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202909",
      "codigoUnidade": "CIN686",
      "nomeUnidade": "MUNICÍPIO DE BRUSQUE",
      "ufSigla": "SC",
      "municipioNome": "Brusque"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102533000101",
      "razaoSocial": "MUNICIPIO DE PAPANDUVA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212205",
      "codigoUnidade": "CIN306",
      "nomeUnidade": "MUNICÍPIO DE PAPANDUVA",
      "ufSigla": "SC",
      "municipioNome": "Papanduva"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "95991287000175",
      "razaoSocial": "MUNICIPIO DE PONTE ALTA DO NORTE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213351",
      "codigoUnidade": "CIN110",
      "nomeUnidade": "MUNICÍPIO DE PONTE ALTA DO NORTE",
      "ufSigla": "SC",
      "municipioNome": "Ponte Alta do Norte"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "00284689000123",
      "razaoSocial": "CAMARA MUNICIPAL DE CACADOR",
      "poderId": "L",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203006",
      "codigoUnidade": "CIN277",
      "nomeUnidade": "CAMARA MUNICIPAL DE CAÇADOR",
      "ufSigla": "SC",
      "municipioNome": "Caçador"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01605479000152",
      "razaoSocial": "MUNICIPIO DE BALNEARIO ARROIO DO SILVA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4201950",
      "codigoUnidade": "CIN688",
      "nomeUnidade": "MUNICÍPIO DE BALNEÁRIO ARROIO DO SILVA",
      "ufSigla": "SC",
      "municipioNome": "Balneário Arroio do Silva"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83021808000182",
      "razaoSocial": "MUNICIPIO DE CHAPECO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204202",
      "codigoUnidade": "CIN572",
      "nomeUnidade": "MUNICÍPIO DE CHAPECÓ",
      "ufSigla": "SC",
      "municipioNome": "Chapecó"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83039842000184",
      "razaoSocial": "MUNICIPIO DE VIDEIRA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4219309",
      "codigoUnidade": "CIN20",
      "nomeUnidade": "MUNICÍPIO DE VIDEIRA",
      "ufSigla": "SC",
      "municipioNome": "Videira"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102848000159",
      "razaoSocial": "MUNICIPIO DE GARUVA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205803",
      "codigoUnidade": "CIN483",
      "nomeUnidade": "MUNICÍPIO DE GARUVA",
      "ufSigla": "SC",
      "municipioNome": "Garuva"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82827148000169",
      "razaoSocial": "MUNICIPIO DE PINHEIRO PRETO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213005",
      "codigoUnidade": "CIN15",
      "nomeUnidade": "MUNICÍPIO DE PINHEIRO PRETO",
      "ufSigla": "SC",
      "municipioNome": "Pinheiro Preto"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "20129840000166",
      "razaoSocial": "FUNDO MUNICIPAL DE ASSISTENCIA SOCIAL DE ITAPEMA",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208302",
      "codigoUnidade": "CIN911",
      "nomeUnidade": "FUNDO MUNICIPAL DE ASSISTENCIA SOCIAL DE ITAPEMA - FMAS",
      "ufSigla": "SC",
      "municipioNome": "Itapema"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "01606852000190",
      "razaoSocial": "MUNICIPIO DE BOCAINA DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202438",
      "codigoUnidade": "CIN575",
      "nomeUnidade": "MUNICÍPIO DE BOCAINA DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Bocaina do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11436910000138",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE POMERODE",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213203",
      "codigoUnidade": "CIN662",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE POMERODE",
      "ufSigla": "SC",
      "municipioNome": "Pomerode"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82928706000182",
      "razaoSocial": "MUNICIPIO DE LAGUNA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4209409",
      "codigoUnidade": "CIN757",
      "nomeUnidade": "MUNICÍPIO DE LAGUNA",
      "ufSigla": "SC",
      "municipioNome": "Laguna"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "80911936000103",
      "razaoSocial": "MUNICIPIO DE SAO JOAO DO OESTE",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4216255",
      "codigoUnidade": "CIN632",
      "nomeUnidade": "MUNICÍPIO DE SÃO JOÃO DO OESTE",
      "ufSigla": "SC",
      "municipioNome": "São João do Oeste"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102442000176",
      "razaoSocial": "MUNICIPIO DE WITMARSUM",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4219408",
      "codigoUnidade": "CIN441",
      "nomeUnidade": "MUNICÍPIO DE WITMARSUM",
      "ufSigla": "SC",
      "municipioNome": "Witmarsum"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82892316000108",
      "razaoSocial": "MUNICIPIO DE PALHOCA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4211900",
      "codigoUnidade": "CIN700",
      "nomeUnidade": "MUNICÍPIO DE PALHOÇA",
      "ufSigla": "SC",
      "municipioNome": "Palhoça"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82577636000165",
      "razaoSocial": "MUNICIPIO DE TIJUCAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218004",
      "codigoUnidade": "CIN966",
      "nomeUnidade": "MUNICÍPIO DE TIJUCAS",
      "ufSigla": "SC",
      "municipioNome": "Tijucas"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102566000151",
      "razaoSocial": "MUNICIPIO DE MATOS COSTA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4210704",
      "codigoUnidade": "CIN14",
      "nomeUnidade": "MUNICÍPIO DE MATOS COSTA",
      "ufSigla": "SC",
      "municipioNome": "Matos Costa"
    }
  }, {
    "orgaoEntidade": { "cnpj": "82777301000190", "razaoSocial": "MUNICIPIO DE LAGES", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4209300",
      "codigoUnidade": "CIN233",
      "nomeUnidade": "MUNICÍPIO DE LAGES",
      "ufSigla": "SC",
      "municipioNome": "Lages"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "78486198000152",
      "razaoSocial": "MUNICIPIO DE TUNAPOLIS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218756",
      "codigoUnidade": "CIN653",
      "nomeUnidade": "MUNICÍPIO DE TUNÁPOLIS",
      "ufSigla": "SC",
      "municipioNome": "Tunápolis"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102699000128",
      "razaoSocial": "MUNICIPIO DE PRESIDENTE NEREU",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4214102",
      "codigoUnidade": "CIN330",
      "nomeUnidade": "MUNICÍPIO DE PRESIDENTE NEREU",
      "ufSigla": "SC",
      "municipioNome": "Presidente Nereu"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83145375000177",
      "razaoSocial": "HOSPITAL MUNICIPAL BOM JESUS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207908",
      "codigoUnidade": "CIN120",
      "nomeUnidade": "HOSPITAL MUNICIPAL BOM JESUS",
      "ufSigla": "SC",
      "municipioNome": "Irineópolis"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "28692509000161",
      "razaoSocial": "CONSORCIO INTERMUNICIPAL MULTIFINALITARIO DOS MUNICIPIOS DA AMUREL-CIM-AMUREL",
      "poderId": "E",
      "esferaId": "N"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218707",
      "codigoUnidade": "CIN883",
      "nomeUnidade": "CONSORCIO INTERMUNICIPAL MULTIFINALITARIO DOS MUNICIPIOS DA AMUREL-CIM-AMUREL",
      "ufSigla": "SC",
      "municipioNome": "Tubarão"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11293409000160",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206504",
      "codigoUnidade": "CIN282",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE GUARAMIRIM",
      "ufSigla": "SC",
      "municipioNome": "Guaramirim"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "00484829000107",
      "razaoSocial": "ITAPOA - CAMARA MUNICIPAL DE VEREADORES",
      "poderId": "L",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208450",
      "codigoUnidade": "CIN705",
      "nomeUnidade": "ITAPOÁ - CÂMARA MUNICIPAL DE VEREADORES",
      "ufSigla": "SC",
      "municipioNome": "Itapoá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102855000150",
      "razaoSocial": "MUNICIPIO DE NAVEGANTES",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4211306",
      "codigoUnidade": "CIN329",
      "nomeUnidade": "MUNICÍPIO DE NAVEGANTES",
      "ufSigla": "SC",
      "municipioNome": "Navegantes"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82939232000174",
      "razaoSocial": "MUNICIPIO DE CAMPOS NOVOS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203600",
      "codigoUnidade": "CIN134",
      "nomeUnidade": "MUNICÍPIO DE CAMPOS NOVOS",
      "ufSigla": "SC",
      "municipioNome": "Campos Novos"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "79680005000162",
      "razaoSocial": "IMBITUBA CAMARA MUNICIPAL",
      "poderId": "L",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207304",
      "codigoUnidade": "CIN473",
      "nomeUnidade": "IMBITUBA CAMARA MUNICIPAL",
      "ufSigla": "SC",
      "municipioNome": "Imbituba"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82915026000124",
      "razaoSocial": "MUNICIPIO DE MARACAJA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4210407",
      "codigoUnidade": "CIN702",
      "nomeUnidade": "MUNICÍPIO DE MARACAJÁ",
      "ufSigla": "SC",
      "municipioNome": "Maracajá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82939414000145",
      "razaoSocial": "MUNICIPIO DE CATANDUVAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204004",
      "codigoUnidade": "CIN155",
      "nomeUnidade": "MUNICÍPIO DE CATANDUVAS",
      "ufSigla": "SC",
      "municipioNome": "Catanduvas"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11888327000168",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE SAO DOMINGOS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4216107",
      "codigoUnidade": "CIN198",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE SÃO DOMINGOS",
      "ufSigla": "SC",
      "municipioNome": "São Domingos"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "08999257000100",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE BIGUACU",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4202305",
      "codigoUnidade": "CIN360",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE BIGUAÇU",
      "ufSigla": "SC",
      "municipioNome": "Biguaçu"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102434000120",
      "razaoSocial": "MUNICIPIO DE PRESIDENTE GETULIO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4214003",
      "codigoUnidade": "CIN336",
      "nomeUnidade": "MUNICÍPIO DE PRESIDENTE GETÚLIO",
      "ufSigla": "SC",
      "municipioNome": "Presidente Getúlio"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83028639000102",
      "razaoSocial": "MUNICIPIO DE PALMA SOLA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212007",
      "codigoUnidade": "CIN806",
      "nomeUnidade": "MUNICÍPIO DE PALMA SOLA",
      "ufSigla": "SC",
      "municipioNome": "Palma Sola"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "95990198000104",
      "razaoSocial": "MUNICIPIO DE CORDILHEIRA ALTA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204350",
      "codigoUnidade": "CIN434",
      "nomeUnidade": "MUNICÍPIO DE CORDILHEIRA ALTA",
      "ufSigla": "SC",
      "municipioNome": "Cordilheira Alta"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "09240588000125",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE TUBARAO",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218707",
      "codigoUnidade": "CIN758",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE TUBARAO",
      "ufSigla": "SC",
      "municipioNome": "Tubarão"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "13667230000150",
      "razaoSocial": "FUNDACAO MUNICIPAL DE EDUCACAO DE TUBARAO",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218707",
      "codigoUnidade": "CIN456",
      "nomeUnidade": "FUNDACAO MUNICIPAL DE EDUCACAO DE TUBARAO",
      "ufSigla": "SC",
      "municipioNome": "Tubarão"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102731000175",
      "razaoSocial": "MUNICIPIO DE TROMBUDO CENTRAL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218608",
      "codigoUnidade": "CIN301",
      "nomeUnidade": "MUNICÍPIO DE TROMBUDO CENTRAL",
      "ufSigla": "SC",
      "municipioNome": "Trombudo Central"
    }
  }, {
    "orgaoEntidade": { "cnpj": "82940776000156", "razaoSocial": "MUNICIPIO DE CAIBI", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203105",
      "codigoUnidade": "CIN418",
      "nomeUnidade": "MUNICÍPIO DE CAIBI",
      "ufSigla": "SC",
      "municipioNome": "Caibi"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102590000190",
      "razaoSocial": "MUNICIPIO DE AGRONOMICA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4200309",
      "codigoUnidade": "CIN633",
      "nomeUnidade": "MUNICÍPIO DE AGRONÔMICA",
      "ufSigla": "SC",
      "municipioNome": "Agronômica"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "19620562000166",
      "razaoSocial": "FUNDO MUNICIPAL DE EDUCACAO - FME",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4216503",
      "codigoUnidade": "CIN649",
      "nomeUnidade": "FUNDO MUNICIPAL DE EDUCACAO SÃO JOAQUIM",
      "ufSigla": "SC",
      "municipioNome": "São Joaquim"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102475000116",
      "razaoSocial": "MUNICIPIO DE GUARAMIRIM",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206504",
      "codigoUnidade": "CIN281",
      "nomeUnidade": "MUNICÍPIO DE GUARAMIRIM",
      "ufSigla": "SC",
      "municipioNome": "Guaramirim"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "80989965000198",
      "razaoSocial": "MUNICIPIO DE SANTA ROSA DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4215653",
      "codigoUnidade": "CIN334",
      "nomeUnidade": "MUNICÍPIO DE SANTA ROSA DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Santa Rosa do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82777327000139",
      "razaoSocial": "MUNICIPIO DE SAO JOSE DO CERRITO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4216800",
      "codigoUnidade": "CIN297",
      "nomeUnidade": "MUNICÍPIO DE SÃO JOSÉ DO CERRITO",
      "ufSigla": "SC",
      "municipioNome": "São José do Cerrito"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "95778056000188",
      "razaoSocial": "MUNICIPIO DE COCAL DO SUL",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4204251",
      "codigoUnidade": "CIN216",
      "nomeUnidade": "MUNICÍPIO DE COCAL DO SUL",
      "ufSigla": "SC",
      "municipioNome": "Cocal do Sul"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "79373767000116",
      "razaoSocial": "MUNICIPIO DE APIUNA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4201257",
      "codigoUnidade": "CIN319",
      "nomeUnidade": "MUNICÍPIO DE APIÚNA",
      "ufSigla": "SC",
      "municipioNome": "Apiúna"
    }
  }, {
    "orgaoEntidade": { "cnpj": "82777228000157", "razaoSocial": "MUNICIPIO DE OURO", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4211801",
      "codigoUnidade": "CIN167",
      "nomeUnidade": "MUNICÍPIO DE OURO",
      "ufSigla": "SC",
      "municipioNome": "Ouro"
    }
  }, {
    "orgaoEntidade": { "cnpj": "95990230000151", "razaoSocial": "MUNICIPIO DE IRATI", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4207858",
      "codigoUnidade": "CIN842",
      "nomeUnidade": "MUNICÍPIO DE IRATI",
      "ufSigla": "SC",
      "municipioNome": "Irati"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "10377912000130",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE RIO NEGRINHO",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4215000",
      "codigoUnidade": "CIN111",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAÚDE DE RIO NEGRINHO",
      "ufSigla": "SC",
      "municipioNome": "Rio Negrinho"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82928680000172",
      "razaoSocial": "MUNICIPIO DE PEDRAS GRANDES",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4212403",
      "codigoUnidade": "CIN328",
      "nomeUnidade": "MUNICÍPIO DE PEDRAS GRANDES",
      "ufSigla": "SC",
      "municipioNome": "Pedras Grandes"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102681000126",
      "razaoSocial": "MUNICIPIO DE POUSO REDONDO",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213708",
      "codigoUnidade": "CIN320",
      "nomeUnidade": "MUNICÍPIO DE POUSO REDONDO",
      "ufSigla": "SC",
      "municipioNome": "Pouso Redondo"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82930181000110",
      "razaoSocial": "MUNICIPIO DE URUSSANGA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4219002",
      "codigoUnidade": "CIN641",
      "nomeUnidade": "MUNICÍPIO DE URUSSANGA",
      "ufSigla": "SC",
      "municipioNome": "Urussanga"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11303923000139",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205803",
      "codigoUnidade": "CIN493",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE GARUVA",
      "ufSigla": "SC",
      "municipioNome": "Garuva"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102384000180",
      "razaoSocial": "MUNICIPIO DE CANOINHAS",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4203808",
      "codigoUnidade": "CIN558",
      "nomeUnidade": "MUNICÍPIO DE CANOINHAS",
      "ufSigla": "SC",
      "municipioNome": "Canoinhas"
    }
  }, {
    "orgaoEntidade": { "cnpj": "83102764000115", "razaoSocial": "MUNICIPIO DE TIMBO", "poderId": "N", "esferaId": "M" },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218202",
      "codigoUnidade": "CIN505",
      "nomeUnidade": "MUNICÍPIO DE TIMBÓ",
      "ufSigla": "SC",
      "municipioNome": "Timbó"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "85997237000141",
      "razaoSocial": "MUNICIPIO DE SANTA CECILIA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4215505",
      "codigoUnidade": "CIN132",
      "nomeUnidade": "MUNICÍPIO DE SANTA CECÍLIA",
      "ufSigla": "SC",
      "municipioNome": "Santa Cecília"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "02482295000105",
      "razaoSocial": "SECRETARIA MUNICIPAL DE EDUCACAO DE ITAPOA - SC",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4208450",
      "codigoUnidade": "CIN158",
      "nomeUnidade": "SECRETARIA MUNICIPAL DE EDUCACAO DE ITAPOA - SC",
      "ufSigla": "SC",
      "municipioNome": "Itapoá"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "11436906000170",
      "razaoSocial": "FUNDO MUNICIPAL DE SAUDE DE GASPAR",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205902",
      "codigoUnidade": "CIN407",
      "nomeUnidade": "FUNDO MUNICIPAL DE SAUDE DE GASPAR",
      "ufSigla": "SC",
      "municipioNome": "Gaspar"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82558909000124",
      "razaoSocial": "MUNICIPIO DE LAURO MULLER",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4209607",
      "codigoUnidade": "CIN404",
      "nomeUnidade": "MUNICÍPIO DE LAURO MULLER",
      "ufSigla": "SC",
      "municipioNome": "Lauro Müller"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83102426000183",
      "razaoSocial": "MUNICIPIO DE DONA EMMA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4205100",
      "codigoUnidade": "CIN226",
      "nomeUnidade": "MUNICÍPIO DE DONA EMMA",
      "ufSigla": "SC",
      "municipioNome": "Dona Emma"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "83755850000127",
      "razaoSocial": "MUNICIPIO DE PONTE ALTA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4213302",
      "codigoUnidade": "CIN478",
      "nomeUnidade": "MUNICÍPIO DE PONTE ALTA",
      "ufSigla": "SC",
      "municipioNome": "Ponte Alta"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "03347877000141",
      "razaoSocial": "FUNDO MUNICIPAL DE ASSISTENCA SOCIAL DE TREZE TILIAS",
      "poderId": "E",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4218509",
      "codigoUnidade": "CIN268",
      "nomeUnidade": "FUNDO MUNICIPAL DE ASSISTENCA SOCIAL DE TREZE TILIAS",
      "ufSigla": "SC",
      "municipioNome": "Treze Tílias"
    }
  }, {
    "orgaoEntidade": {
      "cnpj": "82821216000182",
      "razaoSocial": "MUNICIPIO DE GUARACIABA",
      "poderId": "N",
      "esferaId": "M"
    },
    "unidadeOrgao": {
      "ufNome": "Santa Catarina",
      "codigoIbge": "4206405",
      "codigoUnidade": "CIN942",
      "nomeUnidade": "MUNICÍPIO DE GUARACIABA",
      "ufSigla": "SC",
      "municipioNome": "Guaraciaba"
    }
  }],
  "fornecedores": [
    { "niFornecedor": "35377598000117", "nomeRazaoSocialFornecedor": "VP ALIMENTOS LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "02490351000153",
      "nomeRazaoSocialFornecedor": "AH COMERCIO E SERVICO DE ELETRO ELETRONICO LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "10830062000184", "nomeRazaoSocialFornecedor": "AM TRADE ELETRONICA LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "60679419000143", "nomeRazaoSocialFornecedor": "60.679.419 TALAL EL AHMAD", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "05601940000150",
      "nomeRazaoSocialFornecedor": "CELL POINT RIO PRETO COMERCIO DE CELULARES E INFORMATICA LTD",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "06156893962", "nomeRazaoSocialFornecedor": "GESSICA DE MACEDO", "tipoPessoa": "PF" },
    { "niFornecedor": "03697999176", "nomeRazaoSocialFornecedor": "GUILHERME BISPO DE OLIVEIRA", "tipoPessoa": "PF" },
    {
      "niFornecedor": "57753412000110",
      "nomeRazaoSocialFornecedor": "WMR VARIEDADES E IMPORTADOS COMERCIAL LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "38400471000160", "nomeRazaoSocialFornecedor": "B FELIPE PEREIRA", "tipoPessoa": "PJ" },
    { "niFornecedor": "05111428976", "nomeRazaoSocialFornecedor": "VALDEIR MARTINS DOS SANTOS", "tipoPessoa": "PF" },
    { "niFornecedor": "24642985000117", "nomeRazaoSocialFornecedor": "Supermercado Roma Ltda EPP", "tipoPessoa": "PJ" },
    { "niFornecedor": "02054870000179", "nomeRazaoSocialFornecedor": "F.R. DA CRUZ ", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "24483734000137",
      "nomeRazaoSocialFornecedor": "MONDIALE SERVICOS MEDICOS ESPECIALIZADOS LTDA - EPP",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "21188382000107", "nomeRazaoSocialFornecedor": "VIVER MAIS LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "40156278000177", "nomeRazaoSocialFornecedor": "BERGONZI ENGENHARIA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "92637792000128",
      "nomeRazaoSocialFornecedor": "HOSPITAL DE CARIDADE NOSSA SENHORA DA CONCEICAO DE PIRA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "59313186000181",
      "nomeRazaoSocialFornecedor": "MATEUS SCHNEIDER SERVICOS MEDICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "93301141000125", "nomeRazaoSocialFornecedor": "NEFRO RIM SUL LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "98339823000140",
      "nomeRazaoSocialFornecedor": "CENTRO DE ASSISTENCIA MEDICO-SOCIAL",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "22416818000122",
      "nomeRazaoSocialFornecedor": "DJE DISTRIBUIDORA DE ALIMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "36664345000197",
      "nomeRazaoSocialFornecedor": "LUX COMÉRCIO E SERVIÇOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "31390641000123",
      "nomeRazaoSocialFornecedor":
        "COOPERAPOMS-Cooperativa de Produção e Comercialização da Rede dos Produtores Orgânicos de Mato Grosso do Sul",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "31851052000103", "nomeRazaoSocialFornecedor": "EDER BASTOS & CIA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "40357151000116",
      "nomeRazaoSocialFornecedor": "SAO BENTO COMERCIO DE EMBALAGENS PLASTICAS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "19653054002047",
      "nomeRazaoSocialFornecedor": "MARLUVAS EQUIPAMENTOS DE SEGURANCA LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "07953689000118", "nomeRazaoSocialFornecedor": "FAGUNDEZ DISTRIBUICAO LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "28584842000238", "nomeRazaoSocialFornecedor": "BIANCA RICACHESKI RAUBER", "tipoPessoa": "PJ" },
    { "niFornecedor": "38613730000130", "nomeRazaoSocialFornecedor": "JM PAPELARIA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "50000913000186",
      "nomeRazaoSocialFornecedor": "50.000.913 ANA PAULA DOS SANTOS MARTINES",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "49331158000133", "nomeRazaoSocialFornecedor": "ATACADO LAZZAROTTO LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "48566347000122",
      "nomeRazaoSocialFornecedor": "TELES SOLUÇÕES EMPRESARIAIS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "29987662000189",
      "nomeRazaoSocialFornecedor": "SOCIETE COMERCIO DE VEICULOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "44734671002286",
      "nomeRazaoSocialFornecedor": "CRISTALIA PRODUTOS QUIMICOS FARMACEUTICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "29520946000160", "nomeRazaoSocialFornecedor": "EXEBR INFORMATICA LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "45747626000102", "nomeRazaoSocialFornecedor": "OTHALA COMERCIO LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "51892897000146", "nomeRazaoSocialFornecedor": "JT MEDICAMENTOS LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "02520829000302",
      "nomeRazaoSocialFornecedor": "DIMASTER COMÉRCIO DE PRODUTOS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "12889035000102", "nomeRazaoSocialFornecedor": "INOVAMED HOSPITALAR LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "81706251000198",
      "nomeRazaoSocialFornecedor": "PROMEFARMA MEDICAMENTOS E PRODUTOS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "06923493000118",
      "nomeRazaoSocialFornecedor": "MEDFIO INDUSTRIA E COMERCIO DE ARTIGOS ODONTOLOGICOS LTDA.",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "05782733000300",
      "nomeRazaoSocialFornecedor": "CIAMED DISTRIBUIDORA DE MEDICAMENTOS LTDA - FILIAL",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "12418191000195",
      "nomeRazaoSocialFornecedor": "CONQUISTA DISTRIBUIDORA DE MEDICAMENTOS E PRODUTOS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "22862531000126",
      "nomeRazaoSocialFornecedor": "TOP NORTE COMÉRCIO DE MATERIAL MÉDICO HOSPITALAR LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "08774906000175", "nomeRazaoSocialFornecedor": "HOSPDROGAS COMERCIAL LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "50461133000133", "nomeRazaoSocialFornecedor": "LAZZAROTTO LIMPEZA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "33785289000150",
      "nomeRazaoSocialFornecedor": "DETECH COMERCIO E MONTAGEM DE PRODUTOS E SISTEMAS ELETROELETRONICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "21873370000103", "nomeRazaoSocialFornecedor": "PERFORM TECNOLOGIA LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "14066477000184", "nomeRazaoSocialFornecedor": "RSUL LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "06175908000112",
      "nomeRazaoSocialFornecedor": "BIO LOGICA DISTRIBUIDORA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "05823205000190",
      "nomeRazaoSocialFornecedor": "MAQUIRA INDUSTRIA DE PRODUTOS ODONTOLOGICOS S.A.",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "10696932000174",
      "nomeRazaoSocialFornecedor": "T. D. & V. COMERCIO DE PRODUTOS ODONTOLOGICOS E HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "05077346000101",
      "nomeRazaoSocialFornecedor": "PROHOSPITAL SUL COMERCIO DE MATERIAIS MEDICOS E ODONTOLOGICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "72150550000106", "nomeRazaoSocialFornecedor": "JULIANO DE COSTA LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "44899803000103", "nomeRazaoSocialFornecedor": "3B COMERCIAL LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "05010382000158",
      "nomeRazaoSocialFornecedor": "SUDESTE INDUSTRIA E COMERCIO DE MOVEIS ESCOLARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "37078644000102",
      "nomeRazaoSocialFornecedor": "R.S. ALVES COMERCIO PRODUTOS DE HIGIENE PESSOAL LIMITADA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "34887479000141", "nomeRazaoSocialFornecedor": "R.S. ELETRO LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "31322368000108", "nomeRazaoSocialFornecedor": "R.S. VAREJO LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "08307817000119", "nomeRazaoSocialFornecedor": "APONTUAL COMERCIO LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "28090609000118",
      "nomeRazaoSocialFornecedor": "TREVISUL COMERCIAL DE VEÍCULOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "19633424000111",
      "nomeRazaoSocialFornecedor": "PLANALTO COMERCIO E TRANSPORTES DE ALIMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "82997446000105",
      "nomeRazaoSocialFornecedor":
        "RS DISTRIBUIDORA E COMERCIO ATACADISTA DE ARTIGOS DE PAPELARIA, PRODUTOS DE HIGIENE E EMBALAGENS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "35581117000190",
      "nomeRazaoSocialFornecedor": "EREGOLD COMERCIO DISTRIBUICAO E SERVICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "12674048000164", "nomeRazaoSocialFornecedor": "COMERCIAL PALMEIRAS LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "05937672000141", "nomeRazaoSocialFornecedor": "EONIX COMERCIAL LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "02816696000154", "nomeRazaoSocialFornecedor": "PONTAMED FARMACEUTICA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "29222667000110",
      "nomeRazaoSocialFornecedor": "SK MATERIAIS PARA ESCRITORIO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "46449285000143",
      "nomeRazaoSocialFornecedor": "MYR COMERCIO DE ARTIGOS PEDAGOGICOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "55265519000193",
      "nomeRazaoSocialFornecedor": "AGCM ATACADISTA DE ELETRONICOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "11118645000140",
      "nomeRazaoSocialFornecedor": "SPOTECH INFORMATICA CORAL LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "33842718000184",
      "nomeRazaoSocialFornecedor": "NSC COMERCIO DE ALIMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "51425213000104",
      "nomeRazaoSocialFornecedor": "WELMY-INDUSTRIA E COMERCIO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "00802002000102",
      "nomeRazaoSocialFornecedor": "ALTERMED MATERIAL MEDICO HOSPITALAR LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "44472217000170", "nomeRazaoSocialFornecedor": "JN PNEUS LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "41365113000178", "nomeRazaoSocialFornecedor": "NOVA MEDICAMENTOS LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "05531725000120",
      "nomeRazaoSocialFornecedor": "SOMA SC PRODUTOS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "12014370000167",
      "nomeRazaoSocialFornecedor": "ABC DISTRIBUIDORA DE MEDICAMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "13965228000168", "nomeRazaoSocialFornecedor": "JLM DISTRIBUIDORA BR LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "26044069000100", "nomeRazaoSocialFornecedor": "SOMA ATACADO LTDA ", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "08048988000170",
      "nomeRazaoSocialFornecedor": "DUNE PRODUTOS ORTOPEDICOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "55020757000139",
      "nomeRazaoSocialFornecedor": "HERVAL MOVEIS PARA ESCRITORIO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "07752236000123",
      "nomeRazaoSocialFornecedor": "MEDILAR IMPORTACAO E DISTRIBUICAO DE PRODUTOS MEDICO HOSPITALARES S/A",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "02048610000271", "nomeRazaoSocialFornecedor": "COMERCIAL HERZOG LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "33419290000161",
      "nomeRazaoSocialFornecedor": "VIPH IT COMERCIO E SERVICOS DE EQUIPAMENTOS DE INFORMATICA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "93920361000137",
      "nomeRazaoSocialFornecedor": "REIFLEX INDUSTRIA E COMERCIO DE MOVEIS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "07460912000276", "nomeRazaoSocialFornecedor": "LEONARDO A. VERZA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "40738368000176",
      "nomeRazaoSocialFornecedor": "GAMBA CONEXOES COMERCIO ATACADISTA DE ALIMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "83413591000318",
      "nomeRazaoSocialFornecedor": "DICAPEL PAPEIS E EMBALAGENS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "06224121001922",
      "nomeRazaoSocialFornecedor": "SHARK MAQUINAS PARA CONSTRUCAO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "41786083000173",
      "nomeRazaoSocialFornecedor": "NOVI GAMING COMERCIO DE PRODUTOS PARA INFORMATICA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "06555143000146",
      "nomeRazaoSocialFornecedor": "TRADE MEDICAL COMERCIO DE MATERIAIS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "83157032000122",
      "nomeRazaoSocialFornecedor": "METROMED COMÉRCIO DE MATERIAL MÉDICO HOSPITALAR LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "05063653001024",
      "nomeRazaoSocialFornecedor": "ENGEPEÇAS EQUIPAMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "45203145000128",
      "nomeRazaoSocialFornecedor": "LICITAMED PRIME COMERCIAL LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "52496119000109",
      "nomeRazaoSocialFornecedor": "B. D. R. COMERCIO DE EQUIPAMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "39840107000183",
      "nomeRazaoSocialFornecedor": "MASTERMEDIC DISTRIBUIDORA LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "44189336000110", "nomeRazaoSocialFornecedor": "L2 TECNOLOGIA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "47326944000117",
      "nomeRazaoSocialFornecedor": "KING FLECEE TEXTIL INDUSTRIA E COMERCIO E IMPORTACAO E EXPORTACAO LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "19555146000121", "nomeRazaoSocialFornecedor": "2B DISTRIBUIDORA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "65149197000251",
      "nomeRazaoSocialFornecedor": "REPREMIG REPRESENTAÇÃO E COMÉRCIO DE MINAS GERAIS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "37673034000157",
      "nomeRazaoSocialFornecedor": "MA COMERCIO DE REFRIGERACAO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "24069938000207",
      "nomeRazaoSocialFornecedor": "PAPEX DO BRASIL INDUSTRIA E COMERCIO LTDA.",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "53777835000119",
      "nomeRazaoSocialFornecedor": "FLUTSPUMA ESPUMAS INDUSTRIAIS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "46461457000102",
      "nomeRazaoSocialFornecedor": "CORREIA COMERCIO DE ROUPAS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "21962572000121",
      "nomeRazaoSocialFornecedor": "ALPHMED PRODUTOS PARA SAUDE LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "85247385000149",
      "nomeRazaoSocialFornecedor": "PROSAUDE DISTRIBUIDORA DE MEDICAMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "73710394000145",
      "nomeRazaoSocialFornecedor": "TRACTON INDUSTRIA E COMERCIO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "48348052000180",
      "nomeRazaoSocialFornecedor": "LJS COMERCIO E INDUSTRIA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "28857335000140",
      "nomeRazaoSocialFornecedor": "MAXIMA DENTAL IMPORTAÇÃO, EXPORTAÇÃO E COMÉRCIO DE PRODUTOS ODONTOLÓGICOS EIRELLI",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "41414934000157",
      "nomeRazaoSocialFornecedor": "VMB DISTRIBUIDORA DE MEDICAMENTOS E MATERIAL MEDICO HOSPITALAR LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "22077561000121",
      "nomeRazaoSocialFornecedor": "MR ALIMENTOS SAUDAVEIS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "23647237000164", "nomeRazaoSocialFornecedor": "EDUARDO GUERRA DO CARMO", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "24550559000153",
      "nomeRazaoSocialFornecedor": "WORKOUT COMERCIO DE PRODUTOS PARA SAUDE LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "53018019000121", "nomeRazaoSocialFornecedor": "SOBERANA TEXTIL LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "78742491000133",
      "nomeRazaoSocialFornecedor": "JOAOMED COMERCIO DE MATERIAIS CIRURGICOS S/A",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "53512423000157",
      "nomeRazaoSocialFornecedor": "BARRA ATACADISTA E VAREJISTA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "17092175000179",
      "nomeRazaoSocialFornecedor": "PNEULOG COMÉRCIO DE PNEUMATICOS EIRELI ME",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "94516671000234",
      "nomeRazaoSocialFornecedor": "CIRÚRGICA SANTA CRUZ COMÉRCIO DE PRODUTOS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "20604417000170", "nomeRazaoSocialFornecedor": "RP COMERCIAL LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "52815475000130",
      "nomeRazaoSocialFornecedor": "RGK PRODUTOS E SERVICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "84935865000130", "nomeRazaoSocialFornecedor": "DUPAR S/A", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "39655478000195",
      "nomeRazaoSocialFornecedor": "SEBOLD INDÚSTRIA DE COSMÉTICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "27205945000104", "nomeRazaoSocialFornecedor": "ODONTOMED T/A LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "34054368000154",
      "nomeRazaoSocialFornecedor": "BOM RETIRO COMERCIO ATACADISTA DE PRODUTOS DE HIGIENE LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "55017923000148", "nomeRazaoSocialFornecedor": "G & J REPRESENTACAO LTDA", "tipoPessoa": "PJ" },
    { "niFornecedor": "03612312000497", "nomeRazaoSocialFornecedor": "NUTRIPORT COMERCIAL LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "43877098000172",
      "nomeRazaoSocialFornecedor": "CRIATIVA PAPELARIA E ARMARINHOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "08784976000295", "nomeRazaoSocialFornecedor": "SEVENTEC COMERCIO LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "71505564000124",
      "nomeRazaoSocialFornecedor": "EMIGE MATERIAIS ODONTOLÓGICOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "83240028000123",
      "nomeRazaoSocialFornecedor": "COPAPEL COMERCIO E REPRESENTACOES DE PAPEL LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "40223106000179",
      "nomeRazaoSocialFornecedor": "DARLU INDÚSTRIA TÊXTIL LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "26723181000178",
      "nomeRazaoSocialFornecedor": "DO SUL PNEUS JOINVILLE EIRELI",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "08692456000171",
      "nomeRazaoSocialFornecedor": "BNB COMERCIO DE EQUIPAMENTOS DE INFORMATICA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "26889274000177",
      "nomeRazaoSocialFornecedor": "S.M GUIMARÃES DISTRIBUIDORA IMPORTADORA E EXPORTADORA LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "32608866000176", "nomeRazaoSocialFornecedor": "TROIKA DISTRIBUIÇÃO LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "20058175000167",
      "nomeRazaoSocialFornecedor": "J MARTINS COMERCIO DE SUPRIMENTOS DE INFORMATICA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "25279552000101",
      "nomeRazaoSocialFornecedor": "DISTRIBUIDORA DE MEDICAMENTOS BACKES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "02881877000164",
      "nomeRazaoSocialFornecedor": "POLAR FIX INDUSTRIA E COMERCIO DE PRODUTOS HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "04415316000286",
      "nomeRazaoSocialFornecedor": "GENIAL PRODUTOS PARA LIMPEZA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "11405384000149",
      "nomeRazaoSocialFornecedor": "ALFA MED SISTEMAS MÉDICOS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "53741290000190", "nomeRazaoSocialFornecedor": "SUPRA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "93234789000126",
      "nomeRazaoSocialFornecedor": "MOVESCO- INDUSTRIA E COMERCIO DE MOVEIS ESCOLARES LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "33479392000172", "nomeRazaoSocialFornecedor": "WERNETECH INFORMATICA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "50958011000157",
      "nomeRazaoSocialFornecedor": "LICITA SHOP COMERCIO E SERVICOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "09625361000440",
      "nomeRazaoSocialFornecedor": "SUMAY DO BRASIL LTDA (FILIAL)",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "10158623000140",
      "nomeRazaoSocialFornecedor": "EBC SERVICOS EDUCACIONAIS LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "19941698000178", "nomeRazaoSocialFornecedor": "CARLOS ENRIQUE LUSSANI", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "97541831000102",
      "nomeRazaoSocialFornecedor": "GESSICA ZARZEKA OLIVO - GRM MAQUINAS E LOCACOES",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "73730129001605", "nomeRazaoSocialFornecedor": "BELLENZIER PNEUS LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "78323094000127",
      "nomeRazaoSocialFornecedor": "KHRONOS INDUSTRIA COMERCIO E SERVICOS EM ELETRONICA LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "02494715000173",
      "nomeRazaoSocialFornecedor": "COOPERATIVA CENTRAL DE COOPERATIVAS UNIMED DO RIO GRANDE DO SUL LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "04159536000105", "nomeRazaoSocialFornecedor": "VUELO PHARMA LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "06105362000123",
      "nomeRazaoSocialFornecedor": "ACCUMED PRODUTOS MEDICO HOSPITALARES LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "42261804000194",
      "nomeRazaoSocialFornecedor": "AJL DISTRIBUIDORA DE MEDICAMENTOS E MATERIAL HOSPITALAR LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "11244404000147",
      "nomeRazaoSocialFornecedor": "LUDAN INDUSTRIA E COMERCIO LTDA",
      "tipoPessoa": "PJ"
    },
    { "niFornecedor": "04303600000180", "nomeRazaoSocialFornecedor": "TELECOPY EQUIPAMENTOS LTDA", "tipoPessoa": "PJ" },
    {
      "niFornecedor": "26621024000151",
      "nomeRazaoSocialFornecedor": "SOMA COMÉRCIO DE ALIMENTOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "07164711000140",
      "nomeRazaoSocialFornecedor": "FUFA-SC COMÉRCIO E REPRESENTAÇÃO LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "20788809000137",
      "nomeRazaoSocialFornecedor": "R7 DIGITAL INFORMÁTICA E SERVIÇOS LTDA",
      "tipoPessoa": "PJ"
    },
    {
      "niFornecedor": "18641075000117",
      "nomeRazaoSocialFornecedor": "LICITARE PRODUTOS, MATERIAIS E SERVIÇOS LTDA",
      "tipoPessoa": "PJ"
    }
  ],
  "objetos": [
    "Alienação de mercadorias apreendidas pela Receita Federal",
    "O objeto do presente Contrato é a aquisição de gêneros alimentícios destinados ao atendimento do Programa Nacional de Alimentação Escolar – PNAE, no(a) EE VIRIATO BANDEIRA, município de COXIM / MS, co",
    "O objeto do presente Contrato é a aquisição de gêneros alimentícios destinados ao atendimento do Programa Nacional de Alimentação Escolar – PNAE, no(a) EE INDÍGENA KUÑA YRUKU - MARINA LOPES, município",
    "Contratação de empresa remanescente para a prestação de serviços médicos de\r\nTelemedicina, para a qualificação das ações do Departamento de Regulação\r\nEstadual/RS e implementação do Programa de Teleme",
    "Contratação de serviços especializados de transporte medicalizado interhospitalar (UTI móvel), terrestre, contínuo (24horas), por meio de ambulância de suporte avançado tipo D, para a Macrorregião SUL",
    "Projeto de paisagismo para revitalização e melhor aproveitamento do pátio da Câmara de Vereadores de Fazenda Vilanova/RS, com área de 3.631,36 m².",
    "O presente Contrato tem por objeto a execução de serviços hospitalares e ambulatoriais a serem prestados aos usuários no\r\nâmbito do Sistema Único de Saúde - SUS, especificados tecnicamente no Document",
    "Contratação de empresa para realização de pequenos procedimentos ambulatoriais",
    "O presente contrato tem por objeto a execução, pelo CONTRATADO, DE SERVIÇOS TÉCNICO-PROFISSIONAIS1.\r\nESPECIALIZADOS EM DOENÇA RENAL CRÔNICA (DRC): estágio pré-dialítico, hemodiálise ou diálise periton",
    "O presente Contrato tem por objeto a execução de serviços hospitalares e ambulatoriais a serem prestados aos usuários no âmbito do Sistema Único de Saúde - SUS, especificados tecnicamente no Documento",
    "O objeto do presente Contrato é a aquisição de gêneros alimentícios destinados ao atendimento do Programa Nacional de Alimentação Escolar – PNAE, no(a) EE SÃO FRANCISCO, município de CAMPO GRANDE / MS",
    "O objeto do presente Contrato é a aquisição de gêneros alimentícios destinados ao atendimento do Programa Nacional de Alimentação Escolar – PNAE, no(a) EE MENODORA FIALHO DE FIGUEIREDO, município de D",
    "EQUIPAMENTOS DE REDE DE DADOS E CORRELATOS - LEI 14.133/2021",
    "MATERIAIS PARA HIGIENIZAÇÃO E LIMPEZA - LEI 14.133/2021",
    "EQUIPAMENTOS DE PROTEÇÃO INDIVIDUAL E COLETIVA - LEI 14.133/2021",
    "MONITORES - LEI 14.133/2021 (RENOVADO)",
    "CADERNOS, PAPÉIS E CORRELATOS - LEI 14.133/2021",
    "MATERIAL DE EXPEDIENTE, ESCOLAR E DE ARTESANATO - LEI 14.133/2021",
    "FRALDAS GERIÁTRICAS E INFANTIS- LEI 14.133/2021 (RENOVADO)",
    "AMBULÂNCIA TIPO B, NOVA, ZERO KM - LEI 14.133/2021",
    "MEDICAMENTOS, SUPLEMENTOS ALIMENTARES E CORRELATOS - LEI 14.133/2021",
    "CELULARES E SMARTPHONES - LEI 14.133/2021",
    "PRODUTOS DE HIGIENE E USO PESSOAL - LEI 14.133/2021",
    "IMPRESSORAS - LEI 14.133/2021",
    "COMPUTADORES CORPORATIVOS E SERVIDORES - LEI 14.133/2021",
    "MATERIAIS ODONTOLÓGICOS - LEI 14.133/2021",
    "PRODUTOS SANEANTES - LEI 14.133/2021",
    "MOBILIÁRIO ESCOLAR - LEI 14.133/2021",
    "ELETRODOMÉSTICOS E CORRELATOS - LEI 14.133/2021",
    "EQUIPAMENTOS DE INFORMÁTICA, ELETRÔNICOS E CORRELATOS - LEI 14.133/2021",
    "PRODUTOS QUÍMICOS PARA TRATAMENTO DE ÁGUA E ESGOTO - LEI 14.133/2021",
    "VEÍCULOS NOVOS, ZERO KM - LEI 14.133/2021 (RENOVADO)",
    "ALIMENTOS NÃO PERECÍVEIS E CORRELATOS - LEI 14.133/2021",
    "UTENSÍLIOS DE COZINHA - LEI 14.133/2021",
    "MATERIAIS DIDÁTICOS - LEI 14.133/2021",
    "EQUIPAMENTOS MÉDICO HOSPITALARES, ODONTOLÓGICOS E DE FISIOTERAPIA - LEI 14.133/2021",
    "PNEUS E CORRELATOS - LEI 14.133/2021",
    "MATERIAIS DESCARTÁVEIS - LEI 14.133/2021",
    "ARTIGOS MÉDICO HOSPITALARES, ODONTOLÓGICOS E DE FISIOTERAPIA - LEI 14.133/2021",
    "CADEIRAS PARA ESCRITÓRIO E LONGARINAS - LEI 14.133/2021",
    "COMPUTADORES - LEI 14.133/2021",
    "CÂMERAS DE VIDEOMONITORAMENTO E CORRELATOS - LEI 14.133/2021",
    "NOBREAKS E ESTABILIZADORES - LEI 14.133/2021",
    "RETROESCAVADEIRAS - LEI 14.133/2021",
    "TIRAS PARA TESTE DE GLICOSE - LEI 14.133/2021 (RENOVADO)",
    "MATERIAIS AMBULATORIAIS E INSUMOS HOSPITALARES - LEI 14.133/2021",
    "SMART TVS - LEI 14.133/2021",
    "CAFÉS - LEI 14.133/2021",
    "EQUIPAMENTOS DE OPERAÇÃO VERANEIO - LEI 14.133/2021",
    "SOLUÇÕES FISIOLÓGICAS - LEI 14.133/2021",
    "PAPÉIS PARA HIGIENE PESSOAL E USO DOMÉSTICO - LEI 14.133/2021",
    "MATERIAIS ESPORTIVOS - LEI 14.133/2021",
    "MATERIAIS DE FISIOTERAPIA - LEI 14.133/2021",
    "NOTEBOOKS, TABLETS E GABINETES DE RECARGA - LEI 14.133/2021",
    "ÁGUAS MINERAIS - LEI 14.133/2021",
    "FÓRMULAS E SUPLEMENTOS ALIMENTARES - LEI 14.133/2021",
    "SUPRIMENTOS PARA IMPRESSÃO - LEI 14.133/2021",
    "CURATIVOS PARA TRATAMENTO DE FERIDAS - LEI 14.133/2021",
    "AÇÚCARES E ADOÇANTES - LEI 14.133/2021",
    "APARELHOS DE AR-CONDICIONADO E CORRELATOS - LEI 14.133/2021",
    "MEDICAMENTOS, SUPLEMENTOS ALIMENTARES E CORRELATOS PARA ATENDIMENTO DE AÇÕES JUDICIAIS - LEI 14.133/2021",
    "Registro de preços para aquisição dos itens remanescentes do Pregão Eletrônico 019/2025 – veículo pick-up.",
    "Aquisição de materiais e equipamentos para Produções e Acervos Pedagógicos.",
    "O presente procedimento licitatório tem por objeto à Aquisição de 350 (trezentos e cinquenta) HD SSD NVME para a ASCAR, seguindo as especificações e os detalhamentos constantes no ANEXO I - TERMO DE R",
    "Contratação de empresa especializada para fornecimento de materiais hidráulicos para manutenção do sistema de distribuição de água no Município de Monte Belo do Sul/RS",
    "REGISTRO DE PREÇOS OBJETIVANDO EVENTUAL CONTRATAÇÃO DE EMPRESA ESPECIALIZADA EM SERVIÇOS COMUNS DE ENGENHARIA PARA CONSERVAÇÃO, MANUTENÇÃO, REFORMA E LIMPEZA DE ESCOLAS, UNIDADES BÁSICAS DE SAÚDE, CRA",
    "AQUISIÇÃO DE MATERIAL ODONTOLÓGICO",
    "AQUISIÇÃO DE MATERIAL HOSPITALAR",
    "FORNECIMENTO DE KIT MATERNIDADE PARA FORNECIMENTO AS PARTURIENTES DO HOSPITAL DE CLINICAS DE SAO SEBASTIAO E HOSPITAL DE CLINICAS DA COSTA SUL.",
    "REGISTRO DE PREÇOS PARAEVENTUALAQUISIÇÃO DE MATERIAL ODONTOLÓGICO",
    "REGISTRO DE PREÇOS PARA EVENTUAL AQUISIÇÃO DE MATERIAL MÉDICO HOSPITALAR"
  ],
  "itemDescricoes": [
    "CADEIRA DIGITADOR",
    "INSTALACAO - PERSIANAS VERTICAIS/HORIZONTAIS",
    "CARIMBO",
    "FONE OUVIDO",
    "DESCANSO PÉS",
    "MOUSE PAD",
    "MOUSE COMPUTADOR",
    "INSTALACAO / MANUTENCAO DE VIDRO TEMPERADO/ LAMINADO/CRISTALACRILICO/EM PORTA / JANELA / BOX"
  ],
  "contratacao": {
    "srp": true,
    "orgaoEntidade": {
      "cnpj": "90940172000138",
      "razaoSocial": "DEPARTAMENTO DE AGUA, ARROIOS E ESGOTO DE BAGE",
      "poderId": "E",
      "esferaId": "M"
    },
    "anoCompra": 2025,
    "sequencialCompra": 25,
    "dataInclusao": "2025-06-24T00:00:46",
    "dataPublicacaoPncp": "2025-06-24T00:00:46",
    "dataAtualizacao": "2025-07-11T11:45:04",
    "numeroCompra": "0027",
    "unidadeOrgao": {
      "ufNome": "Rio Grande do Sul",
      "codigoIbge": "4301602",
      "codigoUnidade": "137263",
      "nomeUnidade": "DEPARTAMENTO DE ÁGUA E ESGOTOS DE BAGÉ",
      "ufSigla": "RS",
      "municipioNome": "Bagé"
    },
    "amparoLegal": {
      "descricao": "pregão: modalidade de licitação obrigatória para aquisição de bens e serviços comuns",
      "nome": "Lei 14.133/2021, Art. 28, I",
      "codigo": 1
    },
    "dataAberturaProposta": "2025-06-24T09:30:00",
    "dataEncerramentoProposta": "2025-07-04T09:30:00",
    "informacaoComplementar": "",
    "processo": "0027",
    "objetoCompra":
      "Registro de preços para aquisição dos itens remanescentes do Pregão Eletrônico 019/2025 – veículo pick-up.",
    "linkSistemaOrigem": "https://pregaobanrisul.com.br/editais/0027_2025/337081",
    "justificativaPresencial": null,
    "unidadeSubRogada": null,
    "orgaoSubRogado": null,
    "valorTotalHomologado": 673989.0,
    "numeroControlePNCP": "90940172000138-1-000025/2025",
    "modoDisputaId": 1,
    "dataAtualizacaoGlobal": "2025-07-11T12:21:29",
    "linkProcessoEletronico": null,
    "modalidadeId": 6,
    "valorTotalEstimado": 698802.0,
    "modalidadeNome": "Pregão - Eletrônico",
    "modoDisputaNome": "Aberto",
    "tipoInstrumentoConvocatorioCodigo": 1,
    "tipoInstrumentoConvocatorioNome": "Edital",
    "fontesOrcamentarias": [],
    "situacaoCompraId": 1,
    "situacaoCompraNome": "Divulgada no PNCP",
    "usuarioNome": "PROCERGS - CENTRO DE TECNOLOGIA DA INFORMACAO E COMUNICACAO DO ESTADO DO RIO GRANDE DO SUL S.A."
  },
  "contrato": {
    "numeroControlePncpCompra": "00394460005887-1-000020/2025",
    "codigoPaisFornecedor": null,
    "numeroControlePNCP": "00394460005887-2-002468/2025",
    "receita": true,
    "numeroParcelas": 1,
    "numeroRetificacao": 0,
    "tipoPessoaSubContratada": null,
    "objetoContrato": "Alienação de mercadorias apreendidas pela Receita Federal",
    "valorInicial": 1100.0,
    "valorParcela": 1100.0,
    "valorGlobal": 1100.0,
    "valorAcumulado": null,
    "dataAtualizacaoGlobal": "2025-06-24T00:30:04",
    "identificadorCipi": null,
    "urlCipi": null,
    "anoContrato": 2025,
    "tipoContrato": { "id": 1, "nome": "Contrato (termo inicial)" },
    "numeroContratoEmpenho": "0800100/0637",
    "dataAssinatura": "2025-06-23",
    "dataVigenciaInicio": "2025-06-23",
    "dataVigenciaFim": "2025-07-23",
    "niFornecedor": "35377598000117",
    "tipoPessoa": "PJ",
    "orgaoEntidade": {
      "cnpj": "00394460005887",
      "razaoSocial": "MINISTERIO DA ECONOMIA",
      "poderId": "E",
      "esferaId": "F"
    },
    "categoriaProcesso": { "id": 11, "nome": "Alienação de bens móveis/imóveis" },
    "dataPublicacaoPncp": "2025-06-24T00:30:04",
    "dataAtualizacao": "2025-06-24T00:30:04",
    "sequencialContrato": 2468,
    "unidadeOrgao": {
      "ufNome": "São Paulo",
      "codigoIbge": "3550308",
      "codigoUnidade": "800100",
      "nomeUnidade": "Superintendência Regional da Receita Federal do Brasil da 8ª Região Fiscal",
      "ufSigla": "SP",
      "municipioNome": "São Paulo"
    },
    "informacaoComplementar": null,
    "processo": "13032263838202543",
    "unidadeSubRogada": null,
    "orgaoSubRogado": null,
    "nomeRazaoSocialFornecedor": "VP ALIMENTOS LTDA",
    "niFornecedorSubContratado": null,
    "nomeFornecedorSubContratado": null,
    "usuarioNome": "Ministério da Fazenda / Receita Federal"
  },
  "ata": {
    "numeroControlePNCPAta": "92324706000127-1-000203/2023-000002",
    "numeroAtaRegistroPreco": "26",
    "anoAta": 2023,
    "numeroControlePNCPCompra": "92324706000127-1-000203/2023",
    "cancelado": false,
    "dataCancelamento": null,
    "dataAssinatura": "2023-06-15",
    "vigenciaInicio": "2023-06-22",
    "vigenciaFim": "2025-06-25",
    "dataPublicacaoPncp": "2023-06-22",
    "dataInclusao": "2023-06-22",
    "dataAtualizacao": "2024-07-02",
    "dataAtualizacaoGlobal": "2024-07-02",
    "usuario": "Governançabrasil Tecnologia e Gestão em Serviços",
    "objetoContratacao":
      "Contratacao de pessoa juridica especializada para prestacao de manutencao operacional  preventiva e corretiva nas maquinas e equipamentos da Secretaria de Obras e Viacao de Eldorado do Sul",
    "cnpjOrgao": "92324706000127",
    "nomeOrgao": "MUNICIPIO DE ELDORADO DO SUL",
    "cnpjOrgaoSubrogado": null,
    "nomeOrgaoSubrogado": null,
    "codigoUnidadeOrgao": "0000",
    "nomeUnidadeOrgao": "Prefeitura Municipal de Eldorado do Sul",
    "codigoUnidadeOrgaoSubrogado": null,
    "nomeUnidadeOrgaoSubrogado": null
  },
  "pca": {
    "itens": [{
      "descricaoItem": "CADEIRA DIGITADOR",
      "nomeClassificacaoCatalogo": "Material",
      "quantidadeEstimada": 5.0,
      "pdmCodigo": null,
      "dataInclusao": "2025-01-15T07:46:12",
      "numeroItem": 1,
      "dataAtualizacao": "2025-01-15T07:46:12",
      "valorTotal": 5000.0,
      "pdmDescricao": null,
      "codigoItem": "1",
      "unidadeRequisitante": null,
      "grupoContratacaoCodigo": null,
      "grupoContratacaoNome": null,
      "classificacaoSuperiorCodigo": "7110",
      "classificacaoSuperiorNome": "MOBILIÁRIO PARA ESCRITÓRIO",
      "unidadeFornecimento": "LEGISLATIVO",
      "valorUnitario": 1000.0,
      "valorOrcamentoExercicio": 31987000.0,
      "dataDesejada": "2025-03-29",
      "categoriaItemPcaNome": "Material",
      "classificacaoCatalogoId": 1
    }],
    "codigoUnidade": "2",
    "nomeUnidade": "Departamento Legislativo-DEL",
    "anoPca": 2025,
    "orgaoEntidadeRazaoSocial": "BRAGANCA PAULISTA CAMARA MUNICIPAL",
    "orgaoEntidadeCnpj": "47015532000166",
    "idPcaPncp": "47015532000166-0-000002/2025",
    "dataPublicacaoPNCP": "2025-01-15T07:46:12",
    "dataAtualizacaoGlobalPCA": "2025-01-15T07:46:12"
  },
  "instrumento": {
    "cnpj": "03277610000125",
    "ano": 2025,
    "sequencialContrato": 129,
    "sequencialInstrumentoCobranca": 1,
    "tipoInstrumentoCobranca": {
      "id": 1,
      "nome": "Nota Fiscal Eletrônica (NF-e)",
      "descricao":
        "Documento de existência apenas digital, emitido e armazenado eletronicamente, com o intuito de documentar, para fins fiscais, uma operação de circulação de mercadorias ou uma prestação de serviços, ocorrida entre as partes. Sua validade jurídica é garantida pela assinatura digital do remetente (garantia de autoria e de integridade) e a Autorização de uso fornecida pelo Fisco, antes da ocorrência do fato gerador.",
      "dataInclusao": "2025-02-07T14:51:49",
      "dataAtualizacao": "2025-02-07T14:53:31",
      "statusAtivo": true
    },
    "numeroInstrumentoCobranca": "1020",
    "dataEmissaoDocumento": "2025-01-20",
    "observacao": null,
    "chaveNFe": "15250126174873000104550030000010201651717123",
    "fonteNFe": 1,
    "dataConsultaNFe": "2025-03-21T07:21:57",
    "statusResponseNFe": "200",
    "jsonResponseNFe":
      "{\"notaFiscalDTO\":{\"id\":247180205,\"codigoOrgaoSuperiorDestinatario\":\"52000\",\"orgaoSuperiorDestinatario\":\"Ministério da Defesa\",\"codigoOrgaoDestinatario\":\"52000\",\"orgaoDestinatario\":\"Ministério da Defesa - Unidades com vínculo direto\",\"nomeFornecedor\":\"MELLUZZI DISTRIBUIDORA DE MEDICAMENTOS LTDA\",\"cnpjFornecedor\":\"26.174.873/0001-04\",\"municipioFornecedor\":\"ANANINDEUA\",\"chaveNotaFiscal\":\"15250126174873000104550030000010201651717123\",\"valorNotaFiscal\":\"4.920,00\",\"tipoEventoMaisRecente\":\"Autorização de Uso\",\"dataTipoEventoMaisRecente\":\"20/01/2025 14:30:57\",\"dataEmissao\":\"20/01/2025\",\"numero\":1020,\"serie\":3},\"itensNotaFiscal\":[{\"numeroProduto\":\"1\",\"descricaoProdutoServico\":\"ATADURA DE CREPOM 20CMX1,8M 13F NAO ESTERIL TEXCARE\",\"codigoNcmSh\":\"30051090\",\"ncmSh\":\"Outros pensos adesivos, artigos análogos, com camada adesiva\",\"cfop\":\"6102\",\"quantidade\":\"6.000,00\",\"unidade\":\"UN\",\"valorUnitario\":\"0,82\",\"valor\":\"4.920,00\"}],\"eventosNotaFiscal\":[]}",
    "notaFiscalEletronica": {
      "instrumentoCobrancaId": 1,
      "chave": "15250126174873000104550030000010201651717123",
      "nfTransparenciaID": 247180205,
      "numero": 1020,
      "serie": 3,
      "dataEmissao": "20/01/2025",
      "niEmitente": "26.174.873/0001-04",
      "nomeEmitente": "MELLUZZI DISTRIBUIDORA DE MEDICAMENTOS LTDA",
      "nomeMunicipioEmitente": "ANANINDEUA",
      "codigoOrgaoDestinatario": "52000",
      "nomeOrgaoDestinatario": "Ministério da Defesa - Unidades com vínculo direto",
      "codigoOrgaoSuperiorDestinatario": "52000",
      "nomeOrgaoSuperiorDestinatario": "Ministério da Defesa",
      "valorNotaFiscal": "4.920,00",
      "tipoEventoMaisRecente": "Autorização de Uso",
      "dataTipoEventoMaisRecente": "20/01/2025 14:30:57",
      "dataInclusao": "2025-03-21T07:21:57",
      "dataAtualizacao": "2025-03-21T07:21:57",
      "itens": [{
        "numeroItem": "1",
        "descricaoProdutoServico": "ATADURA DE CREPOM 20CMX1,8M 13F NAO ESTERIL TEXCARE",
        "codigoNCM": "30051090",
        "descricaoNCM": "Outros pensos adesivos, artigos análogos, com camada adesiva",
        "cfop": "6102",
        "quantidade": "6.000,00",
        "unidade": "UN",
        "valorUnitario": "0,82",
        "valorTotal": "4.920,00"
      }],
      "eventos": []
    },
    "dataInclusao": "2025-03-21T07:21:57",
    "dataAtualizacao": "2025-03-21T07:21:57",
    "recuperarContratoDTO": {
      "codigoPaisFornecedor": "BRA",
      "numeroControlePncpCompra": "03277610000125-1-000293/2024",
      "nomeRazaoSocialFornecedor": "MELLUZZI DISTRIBUIDORA DE MEDICAMENTOS LTDA",
      "anoContrato": 2025,
      "tipoContrato": { "id": 7, "nome": "Empenho" },
      "numeroContratoEmpenho": "2025NE000048",
      "dataAssinatura": "2025-01-13",
      "dataVigenciaInicio": "2025-01-13",
      "dataVigenciaFim": "2025-12-31",
      "niFornecedor": "26174873000104",
      "tipoPessoa": "PJ",
      "orgaoEntidade": {
        "cnpj": "03277610000125",
        "razaoSocial": "MINISTERIO DA DEFESA",
        "poderId": "E",
        "esferaId": "F"
      },
      "categoriaProcesso": { "id": 2, "nome": "Compras" },
      "dataPublicacaoPncp": "2025-02-20T07:44:04",
      "dataAtualizacao": "2025-02-24T08:55:10",
      "sequencialContrato": 129,
      "unidadeOrgao": {
        "ufNome": "Distrito Federal",
        "codigoIbge": "5300108",
        "codigoUnidade": "112408",
        "nomeUnidade": "HOSPITAL DAS FORCAS ARMADAS",
        "ufSigla": "DF",
        "municipioNome": "Brasília"
      },
      "informacaoComplementar": "11240805900362024 - UASG Minuta: 112408",
      "processo": "60550.000487/2025-92",
      "unidadeSubRogada": null,
      "orgaoSubRogado": null,
      "niFornecedorSubContratado": null,
      "nomeFornecedorSubContratado": null,
      "numeroControlePNCP": "03277610000125-2-000129/2025",
      "receita": false,
      "numeroParcelas": 1,
      "numeroRetificacao": 1,
      "tipoPessoaSubContratada": null,
      "objetoContrato":
        "PREGÃO 90036/2024 HFA PAM 3/2025 SCAMMH HFA (ID 7693426)\r\nAQUISIÇÃO DE MATERIAL HOSPITALAR\r\nAPLICAÇÃO: SCAMMH HFA / A AQUISIÇÃO VINCULA-SE AO PROCESSO SEI Nº 60550.037396/2023-41.",
      "valorInicial": 4920.0,
      "valorParcela": 4920.0,
      "valorGlobal": 4920.0,
      "valorAcumulado": null,
      "dataAtualizacaoGlobal": "2025-03-21T07:21:57",
      "identificadorCipi": null,
      "urlCipi": null,
      "usuarioNome": "Contratos.gov.br"
    }
  },
  "item": {
    "numeroItem": 1,
    "descricao":
      "DIETA, NORMOCALORICA, ENRIQUECIDA COM TAURINA, CARNITINA, ISENTA DE SACAROSE E GLUTEN, OSMOLARIDADE MENOR OU IGUAL A 320 MOSM/L, ENTERAL SISTEMA FECHADO, PARA CRIANCAS ATE 10 ANOS, UNIDADE 1.0 MILILITRO",
    "materialOuServico": "M",
    "materialOuServicoNome": "Material",
    "valorUnitarioEstimado": 0.0951,
    "valorTotal": 441073.8,
    "quantidade": 4638000.0,
    "unidadeMedida": "UNIDADE 1.0 MILILITRO ",
    "orcamentoSigiloso": false,
    "itemCategoriaId": 3,
    "itemCategoriaNome": "Não se aplica",
    "patrimonio": null,
    "codigoRegistroImobiliario": null,
    "criterioJulgamentoId": 1,
    "criterioJulgamentoNome": "Menor preço",
    "situacaoCompraItem": 2,
    "situacaoCompraItemNome": "Homologado",
    "tipoBeneficio": 4,
    "tipoBeneficioNome": "Sem benefício",
    "incentivoProdutivoBasico": false,
    "dataInclusao": "2026-02-26T09:40:40",
    "dataAtualizacao": "2026-04-24T09:25:35",
    "temResultado": true,
    "imagem": 0,
    "aplicabilidadeMargemPreferenciaNormal": false,
    "aplicabilidadeMargemPreferenciaAdicional": false,
    "percentualMargemPreferenciaNormal": null,
    "percentualMargemPreferenciaAdicional": null,
    "ncmNbsCodigo": null,
    "ncmNbsDescricao": null,
    "catalogo": null,
    "categoriaItemCatalogo": null,
    "catalogoCodigoItem": null,
    "informacaoComplementar": null,
    "tipoMargemPreferencia": null,
    "exigenciaConteudoNacional": false
  },
  "arquivo": {
    "uri": "https://pncp.gov.br/pncp-api/v1/orgaos/45132495000140/compras/2024/942/arquivos/1",
    "url": "https://pncp.gov.br/pncp-api/v1/orgaos/45132495000140/compras/2024/942/arquivos/1",
    "tipoDocumentoId": 2,
    "titulo": "\"pre180-24instalacao.pdf\"",
    "statusAtivo": true,
    "dataPublicacaoPncp": "2024-11-05T09:02:18",
    "cnpj": "45132495000140",
    "anoCompra": 2024,
    "sequencialCompra": 942,
    "sequencialDocumento": 1,
    "tipoDocumentoNome": "Edital",
    "tipoDocumentoDescricao": "Edital"
  }
}
