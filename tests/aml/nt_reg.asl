// Rule 6 of issue 14: _REG is not run for SystemMemory, SystemIO and
// DataTable regions (always available: Windows-compatible interpreters do
// not run it for them; uACPI's tests/test-cases/reg-devices.asl: "HPET._REG
// shouldn't have been called" for a SystemMemory region), and is run for
// regions of other spaces however they were created: a PCI_Config region
// in the namespace gets _REG(2, 1) at initialisation; one declared inside
// a method gets _REG(2, 1) when it is created and _REG(2, 0) when the
// method ends and the region goes away. Digits: 1 connect, 0 disconnect.
// expect: int 0x110
DefinitionBlock ("", "DSDT", 2, "CAIRN", "NTREG", 1)
{
    Name (BAD, 0)
    Name (PCIS, 0)
    Name (MTHS, 0)
    Device (PCI0)
    {
        Name (_HID, "PNP0A08")
        Device (MEMD)
        {
            Name (_ADR, 0)
            OperationRegion (MREG, SystemMemory, 0x100000, 0x10)
            OperationRegion (IREG, SystemIO, 0x80, 1)
            Method (_REG, 2) { BAD += 1 }
        }
        Device (PCID)
        {
            Name (_ADR, 0x00010000)
            OperationRegion (PREG, PCI_Config, 0, 0x100)
            Method (_REG, 2) { If (Arg0 == 2) { PCIS = (PCIS << 4) | Arg1 } }
        }
        Device (DYNA)
        {
            Name (_ADR, 0x00020000)
            Method (_REG, 2) { If (Arg0 == 2) { MTHS = (MTHS << 4) | Arg1 } }
            Method (TEST, 0, Serialized)
            {
                OperationRegion (DREG, PCI_Config, 0, 0x100)
                Field (DREG, ByteAcc, NoLock, Preserve) { VID0, 8 }
                Local0 = VID0
            }
        }
    }
    Method (MAIN, 0)
    {
        \PCI0.DYNA.TEST ()
        If (BAD) { Return (0xBAD) }
        Return ((PCIS << 8) | MTHS)
    }
}
