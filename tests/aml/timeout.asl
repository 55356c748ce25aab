// The loop timeout aborts only the spinning method; its caller carries on.
// (run with --loop-timeout 0.2; the timeout is reported as one error)
// expect: int 0x2a
// errors: 1
// args: --loop-timeout 0.2
DefinitionBlock ("", "DSDT", 2, "CAIRN", "TIMEOUT", 1)
{
    Method (SPIN, 0) { While (One) { Noop } Return (1) }
    Method (MAIN, 0)
    {
        Local0 = SPIN ()
        Return (42)
    }
}
