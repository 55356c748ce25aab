// The opcodes with no value of their own: BreakPoint (a no-op without a
// debugger), Fatal (ACPI 6.5 section 19.6.46: the OS is told, here a
// reported error, and execution goes on; its argument is evaluated), the
// Event operators Signal / Wait / Reset (19.6.120, 19.6.147, 19.6.114:
// Wait returns non-zero on a timeout, Reset drops pending signals), and
// ExternalOp (20.2.5.2) executed at table level: iasl only ever emits it
// inside If (Zero), so the table given to Load here is hand-assembled:
// External (\EXT1, IntObj) then Name (EXT2, 0x2a). External creates
// nothing. acpiexec 20200925 returns the same (its Fatal message is an
// "ACPI Error" that does not abort the method).
// expect: int 0x600d
// errors: 1
DefinitionBlock ("", "DSDT", 2, "CAIRN", "MISC", 1)
{
    Name (CNT0, 0)
    Name (HND0, 0)
    Event (EVT0)
    Name (XTBL, Buffer () {
        0x53, 0x53, 0x44, 0x54, 0x33, 0x00, 0x00, 0x00, 0x02, 0xf7, 0x43, 0x41,
        0x49, 0x52, 0x4e, 0x00, 0x45, 0x58, 0x54, 0x4f, 0x50, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x00, 0x00, 0x49, 0x4e, 0x54, 0x4c, 0x25, 0x09, 0x20, 0x20,
        0x15, 0x5c, 0x45, 0x58, 0x54, 0x31, 0x01, 0x00, 0x08, 0x45, 0x58, 0x54,
        0x32, 0x0a, 0x2a })
    Method (FARG, 0) { CNT0++  Return (0x55) }
    Method (MAIN, 0)
    {
        BreakPoint
        Fatal (0x01, 0x12345678, FARG ())
        If (CNT0 != 1) { Return (1) }
        // Events: two signals satisfy two waits, the third times out
        Signal (EVT0)
        Signal (EVT0)
        If (Wait (EVT0, 0) != 0) { Return (2) }
        If (Wait (EVT0, 0) != 0) { Return (3) }
        If (Wait (EVT0, 0) == 0) { Return (4) }
        Signal (EVT0)
        Reset (EVT0)
        If (Wait (EVT0, 0) == 0) { Return (5) }
        Signal (EVT0)
        If (Wait (EVT0, 10) != 0) { Return (6) }
        // ExternalOp at table level
        Load (XTBL, HND0)
        If (!CondRefOf (\EXT2, Local0)) { Return (7) }
        If (DerefOf (Local0) != 0x2a) { Return (8) }
        If (CondRefOf (\EXT1)) { Return (9) }
        BreakPoint
        Return (0x600d)
    }
}
