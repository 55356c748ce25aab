// A handler registered after namespace initialisation (amlrun
// --late-space 0x80): its _REG(0x80, 1) must not run during initialisation
// (the space is unavailable then: accessing it is an error, reported as
// the access and the failed Store) and
// must run exactly once when the handler arrives; the region works after.
// Result: 0x0 (REG count seen by _INI), 0x1 (count now), 0x5a (written).
// expect: int 0x015a
// errors: 2
// args: --late-space 0x80
DefinitionBlock ("", "DSDT", 2, "CAIRN", "LATEHND", 1)
{
    Name (REGC, 0)
    Name (SEEN, 0xff)
    Device (\_SB.OEMD)
    {
        Name (_HID, "CAIR0002")
        OperationRegion (OEMR, 0x80, 0, 0x10)
        Field (OEMR, ByteAcc, NoLock, Preserve) { OEM0, 8 }
        Method (_REG, 2) { If (Arg0 == 0x80) { REGC += Arg1 } }
        Method (_INI)
        {
            SEEN = REGC
            OEM0 = 1   // no handler yet: an error, reported
        }
    }
    Method (MAIN, 0)
    {
        \_SB.OEMD.OEM0 = 0x5a
        Return ((SEEN << 12) | (REGC << 8) | \_SB.OEMD.OEM0)
    }
}
