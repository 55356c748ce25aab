// Found by tests/aml/load.asl through LoadTable (loaded under RootPath,
// with a parameter stored to PARM).
DefinitionBlock ("", "SSDT", 2, "CAIRN", "LTTEST", 1)
{
    Name (LTV1, 5)
    Name (PARM, 0)
    Method (LTM1, 0) { Return (PARM * 2) }
}
