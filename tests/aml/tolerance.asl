// Messy firmware: a Scope on a missing object is skipped and reported, a
// duplicate name keeps its first definition, an External that never
// resolves is harmless, and the rest of the table still loads.
// expect: int 0x11
// errors: 2
// iasl: -f
DefinitionBlock ("", "DSDT", 2, "CAIRN", "TOLERANT", 1)
{
    External (\_SB.MISS, DeviceObj)
    External (\NOPE, IntObj)
    Name (DUP0, 0x11)
    Scope (\_SB.MISS) { Name (XXXX, 1) }
    Name (DUP0, 0x22)
    Name (LATE, 5)
    Method (MAIN, 0)
    {
        If (LATE != 5) { Return (0) }
        Return (DUP0)
    }
}
