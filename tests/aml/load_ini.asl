// After LoadTable into an initialised namespace: _REG of the new table's
// regions first, ParameterData stored, then _STA/_INI of the devices the
// table added, depth first (DEVA present: _STA, _INI, its child DEVC's
// _INI; DEVB neither present nor functioning: _STA only, its subtree
// skipped). The DSDT's device is not initialised a second time.
// expect: int 0x71234
// table: ssdt_ini.asl
DefinitionBlock ("", "DSDT", 2, "CAIRN", "LOADINI", 1)
{
    Name (ORDR, 0)
    Name (PRMV, 0)
    Name (CNT0, 0)
    Device (DEV0) { Method (_INI) { CNT0++ } }
    Method (MAIN, 0)
    {
        If (CNT0 != 1) { Return (0xdead) }
        Local0 = LoadTable ("SSDT", "CAIRN", "INITEST", "", "\\PRMV", 9)
        If (CNT0 != 1) { Return (0xbeef) }
        Return (ORDR)
    }
}
