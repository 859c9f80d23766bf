/**
 * The `baliza` program: the only impure file of the CLI.
 *
 * @since 0.1.0
 */
process.stdout.write("baliza\n")
