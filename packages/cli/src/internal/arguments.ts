import * as CliConfig from "@effect/cli/CliConfig"
import * as CommandDescriptor from "@effect/cli/CommandDescriptor"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Usage from "@effect/cli/Usage"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as CliError from "../CliError.js"
import { logLevels } from "./root.js"
import { distance } from "./suggest.js"

/** An option as a command's usage shows it: its names (aliases too), whether it takes a value, and its choices. */
interface Known {
  readonly names: ReadonlyArray<string>
  readonly takesValue: boolean
  readonly choices: ReadonlyArray<string> | undefined
}

// @effect/cli's own options, accepted by every command (`--log-level` after the command is this one).
const builtIns: ReadonlyArray<Known> = [
  { names: ["--help", "-h"], takesValue: false, choices: undefined },
  { names: ["--version"], takesValue: false, choices: undefined },
  { names: ["--wizard"], takesValue: false, choices: undefined },
  { names: ["--completions"], takesValue: true, choices: ["sh", "bash", "fish", "zsh"] },
  { names: ["--log-level"], takesValue: true, choices: logLevels }
]

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "")

const NAME = /--[a-z][a-z0-9-]*/g

/**
 * A command's options, read from its usage (`[(--day, --dia text)] [--only missing | failed | stale] [--force]`): the
 * same text `--help` shows, so nothing here repeats the option definitions.
 */
const optionsOf = <A>(descriptor: CommandDescriptor.Command<A>): ReadonlyArray<Known> => {
  const usage = Usage.enumerate(CommandDescriptor.getUsage(descriptor), CliConfig.defaultConfig)
    .map((span) => plain(HelpDoc.toAnsiText(HelpDoc.p(span))))
    .join(" ")
  return [...usage.matchAll(/\[\(?([^\]]*?)\)?\]/g)].flatMap(([, group = ""]) => {
    const names = group.match(NAME) ?? []
    if (names.length === 0) return []
    const rest = group.replace(/--[a-z][a-z0-9-]*,?/g, "").trim()
    return [{ names, takesValue: rest !== "", choices: rest.includes(" | ") ? rest.split(" | ") : undefined }]
  })
}

/** The nearest of `candidates` to a mistyped `name`, when it is near enough to be what was meant. */
const closest = (name: string, candidates: ReadonlyArray<string>): string | undefined => {
  const [best] = [...candidates].sort((a, b) => distance(name, a) - distance(name, b))
  return best !== undefined && distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined
}

const didYouMean = (guess: string | undefined) => guess === undefined ? "" : ` (did you mean ${guess}?)`

const oneLine = (error: ValidationError.ValidationError) =>
  plain(HelpDoc.toAnsiText(error.error)).replace(/\s+/g, " ").trim()

/**
 * What is wrong with arguments @effect/cli refused, said as baliza says it: the option or command that is not known and
 * the nearest known name, or the choice option given a value it does not take. Otherwise the parser's own message, on
 * one line.
 */
const explain = <A, B>(
  root: CommandDescriptor.Command<A>,
  subcommands: HashMap.HashMap<string, CommandDescriptor.Command<B>>,
  args: ReadonlyArray<string>,
  parserMessage: string
): string => {
  const globals = optionsOf(root)
  let scope = [...globals, ...builtIns]
  let command: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    if (/^--?[a-z]/i.test(arg)) {
      const [name = arg, joined] = arg.split(/=(.*)/s)
      const known = scope.find((option) => option.names.includes(name))
      if (known === undefined) {
        // an alias matched is reported by the option's first name (`--dya`: `--day`, not `--dia`)
        const guess = closest(name, scope.flatMap((option) => option.names.filter((n) => n.startsWith("--"))))
        const meant = scope.find((option) => guess !== undefined && option.names.includes(guess))?.names[0]
        return command === undefined
          ? `baliza has no global option ${name}${didYouMean(meant)}; \`baliza --help\` lists them.`
          : `${command} has no option ${name}${didYouMean(meant)}; \`baliza ${command} --help\` lists them.`
      }
      const value = joined ?? args[i + 1]
      if (known.takesValue && value === undefined) return `${name} needs a value.`
      if (known.choices !== undefined && value !== undefined && !known.choices.includes(value)) {
        return `${name} expects one of ${known.choices.join(", ")}, got ${JSON.stringify(value)}` +
          `${didYouMean(closest(value, known.choices))}.`
      }
      if (known.takesValue && joined === undefined) i++
    } else if (command === undefined) {
      const sub = HashMap.get(subcommands, arg)
      if (Option.isNone(sub)) {
        return `There is no command ${JSON.stringify(arg)}${
          didYouMean(closest(arg, [...HashMap.keys(subcommands)]))
        }; \`baliza --help\` lists them.`
      }
      command = arg
      // the global options are accepted after the command too (`materialize … --db x`, as the demo runs it)
      scope = [...optionsOf(sub.value), ...globals, ...builtIns]
    }
  }
  return parserMessage
}

/**
 * @internal @effect/cli's own options (`--help`, `-h`, `--version`, `--wizard`, `--completions <shell>`) given among
 * the global options (`baliza --db x --help`) put where the parser reads them: first on a line without a command, after
 * the command on a line with one (`baliza --db x --help status`: the command's help). After a global option the parser
 * looks for a command and refuses them ("Invalid subcommand").
 */
export const builtInsFirst = <A>(root: CommandDescriptor.Command<A>, args: ReadonlyArray<string>) => {
  const globals = optionsOf(root)
  const asked: Array<string> = []
  const rest: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") return args
    const builtIn = builtIns.find((option) => option.names.includes(arg) && !option.names.includes("--log-level"))
    if (builtIn !== undefined) {
      asked.push(arg, ...(builtIn.takesValue && i + 1 < args.length ? [args[++i]!] : []))
      continue
    }
    // the command: the built-ins go after it
    if (!arg.startsWith("-")) return asked.length === 0 ? args : [...rest, ...args.slice(i), ...asked]
    rest.push(arg)
    const known = globals.find((option) => option.names.includes(arg))
    if (known?.takesValue === true && i + 1 < args.length) rest.push(args[++i]!)
  }
  return asked.length === 0 ? args : [...asked, ...rest]
}

/**
 * @internal The arguments parsed as `Command.run` will parse them, first: arguments it would refuse are an input error
 * (exit 2, one `baliza:` line) that names the option and its nearest known name, instead of the parser's message
 * (`Received unknown argument: '--dya'`). Arguments it accepts, a request for help included, are left to it.
 */
export const check = <A, B>(
  command: CommandDescriptor.Command<A>,
  root: CommandDescriptor.Command<B>,
  args: ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    let rest = args
    for (;;) {
      const parsed = yield* Effect.either(
        CommandDescriptor.parse(command, ["baliza", ...rest], CliConfig.defaultConfig)
      )
      const subcommands = CommandDescriptor.getSubcommands(command)
      if (Either.isLeft(parsed)) {
        if (ValidationError.isHelpRequested(parsed.left)) return
        return yield* CliError.input(explain(root, subcommands, args, oneLine(parsed.left)))
      }
      const directive = parsed.right
      if (directive._tag === "UserDefined") {
        if (directive.leftover.length === 0) return
        return yield* CliError.input(
          explain(root, subcommands, args, `Received unknown argument: '${directive.leftover[0]}'.`)
        )
      }
      // `--log-level` after the command: @effect/cli takes it out and parses the rest again; so does this
      if (directive.option._tag !== "SetLogLevel") return
      rest = rest.filter((arg, i) => !arg.startsWith("--log-level") && rest[i - 1] !== "--log-level")
    }
  })
