// Without an ECDT the EC's handler attaches after enumeration, as an OS's
// EC driver does: \_SB._INI, _REG(PCI_Config), the _STA/_INI walk (EC0._INI
// sees no EC yet), then _REG(EmbeddedControl). Digits as in ec_ecdt.asl:
// 1 \_SB._INI, 2 EC _REG, 3 EC0._INI, 4 _REG(PCI_Config), 6 TEMP untouched.
// (SystemIO and SystemMemory regions get no _REG at all: rule 6 of
// issue 14, so the built-in space here is PCI_Config.)
// expect: int 0x14326
DefinitionBlock ("", "DSDT", 2, "CAIRN", "ECLATE", 1)
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
        If (\_SB.PCI0.EC0.TEMP == 0) { LOG (6) }
        Return (ORDR)
    }
}
