// Loaded by tests/aml/load_nested.asl: its table-level code bumps its own
// OEM revision in \BUFX (so the next copy differs) and loads \BUFX again.
DefinitionBlock ("", "SSDT", 2, "CAIRN", "NESTED", 1)
{
    External (\BUFX, BuffObj)
    External (\HNDL, IntObj)
    External (\DPTH, IntObj)
    Increment (\DPTH)
    Index (\BUFX, 24) = DerefOf (Index (\BUFX, 24)) + 1
    Load (\BUFX, \HNDL)
}
