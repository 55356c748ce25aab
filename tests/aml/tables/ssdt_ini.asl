// Found by tests/aml/load_ini.asl through LoadTable: devices whose _REG,
// _STA and _INI record their order in \ORDR (one hex digit each).
DefinitionBlock ("", "SSDT", 2, "CAIRN", "INITEST", 1)
{
    External (\ORDR, IntObj)
    External (\PRMV, IntObj)
    Scope (\_SB)
    {
        Device (DEVA)
        {
            OperationRegion (RGA, PCI_Config, 0, 0x10)
            Method (_REG, 2) { If (Arg0 == 2) { ORDR = ORDR * 16 + 7 } }
            Method (_STA) { ORDR = ORDR * 16 + 1; Return (0x0F) }
            Method (_INI)
            {
                If (PRMV == 9) { ORDR = ORDR * 16 + 2 } Else { ORDR = ORDR * 16 + 8 }
            }
            Device (DEVC) { Method (_INI) { ORDR = ORDR * 16 + 3 } }
        }
        Device (DEVB)
        {
            Method (_STA) { ORDR = ORDR * 16 + 4; Return (0) }
            Method (_INI) { ORDR = ORDR * 16 + 5 }
            Device (DEVD) { Method (_INI) { ORDR = ORDR * 16 + 6 } }
        }
    }
}
