// With an ECDT naming the EC (amlrun --ecdt), its EmbeddedControl _REG
// runs before \_SB._INI; then built-in _REG, then the _STA/_INI walk.
// ORDR collects one hex digit per event: 1 \_SB._INI, 2 EC _REG,
// 3 EC0._INI (which can read the EC only after _REG), 4 _REG(PCI_Config).
// (SystemIO and SystemMemory regions get no _REG at all: rule 6 of
// issue 14, so the built-in space here is PCI_Config.)
// expect: int 0x21435
// args: --ecdt \_SB.PCI0.EC0
DefinitionBlock ("", "DSDT", 2, "CAIRN", "ECDTORD", 1)
{
    Name (ORDR, 0)
    Method (LOG, 1) { ORDR = (ORDR << 4) | Arg0 }
    Scope (\_SB)
    {
        Method (_INI) { LOG (1) }
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            OperationRegion (PCF, PCI_Config, 0, 1)
            Method (_REG, 2) { If (Arg0 == 2) { LOG (4) } }
            Device (EC0)
            {
                Name (_HID, EisaId ("PNP0C09"))
                Name (ECAV, 0)
                OperationRegion (ECOR, EmbeddedControl, 0, 0x100)
                Field (ECOR, ByteAcc, Lock, Preserve) { Offset (0x10), TEMP, 8 }
                Method (_REG, 2) { If (Arg0 == 3) { ECAV = Arg1  LOG (2) } }
                Method (_INI)
                {
                    LOG (3)
                    If (ECAV) { TEMP = 0x2a }
                }
            }
        }
    }
    Method (MAIN, 0)
    {
        // The EC was available in _INI: TEMP was written there.
        If (\_SB.PCI0.EC0.TEMP == 0x2a) { LOG (5) }
        Return (ORDR)
    }
}
