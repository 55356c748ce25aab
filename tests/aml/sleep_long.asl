// Sleep and Stall of huge values in a loop (the aml_load fuzz target, issue
// 14 fourth campaign: Sleep (Ones) in table-level code spinning for ever:
// the fuzz host's virtual clock adds ms * 10000, which wrapped, so time
// went back 1 ms per Sleep and the loop deadline was never reached; the
// input ran for more than 120 s, 22 ms now). A wait is now cut to the loop
// budget (loop_timeout_ms) with a warning, so the loop timeout ends each
// loop (one error each) and MAIN carries on. In the kernel such a Sleep
// would have slept for ever. Note: this test does not reproduce the hang
// under amlrun (its clock wraps through zero after a few hundred rounds,
// which ends the loop too); the fuzz artifact is the reproducer.
// expect: int 0x2a
// errors: 2
DefinitionBlock ("", "DSDT", 2, "CAIRN", "SLEEPLNG", 1)
{
    Method (SPSL, 0)
    {
        Local0 = 0xFFFFFFFFFFFF0000
        While (One) { Sleep (Local0) }
        Return (1)
    }
    Method (SPST, 0)
    {
        Local0 = 0xFFFFFFFFFFFF0000
        While (One) { Stall (Local0) }
        Return (1)
    }
    Method (MAIN, 0)
    {
        Local0 = SPSL ()
        Local0 += SPST ()
        Return (42 + Local0)
    }
}
