// Mutexes, events, Sleep, Stall, Timer, Notify, Debug, _OSI, _REV, _OS,
// Fatal is not exercised (it reports an error by design).
// expect: int 0x3
DefinitionBlock ("", "DSDT", 2, "CAIRN", "SYNC", 1)
{
    Mutex (MTX0, 0)
    Event (EVT0)
    Device (DEV0) { Name (_HID, "CRN0002") }
    Method (MAIN, 0)
    {
        If (Acquire (MTX0, 0xFFFF)) { Return (1) }
        If (Acquire (MTX0, 10)) { Return (2) }      // nested
        Release (MTX0)
        Release (MTX0)
        Signal (EVT0)
        If (Wait (EVT0, 10)) { Return (3) }         // signalled: no timeout
        If (!Wait (EVT0, 1)) { Return (4) }         // not signalled: times out
        Local0 = Timer
        Sleep (2)
        Stall (10)
        If (Timer - Local0 < 20000) { Return (5) }  // 100 ns units
        Notify (DEV0, 0x80)
        Debug = "debug output"
        If (!_OSI ("Windows 2015")) { Return (6) }
        If (_OSI ("Linux")) { Return (7) }
        If (\_REV != 2) { Return (8) }
        If (\_OS != "Microsoft Windows NT") { Return (9) }
        Local1 = 0
        If (CondRefOf (\_OSI)) { Local1 = 3 }
        Return (Local1)
    }
}
