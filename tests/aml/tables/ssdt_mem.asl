// Loaded by tests/aml/load.asl from simulated memory (Load from a region
// and from a buffer).
DefinitionBlock ("", "SSDT", 2, "CAIRN", "LOADMEM", 1)
{
    Name (\LDV1, 0x1234)
    Method (\LDM1, 1) { Return (Arg0 + LDV1) }
    Device (\_SB.LDD1) { Name (_HID, "CAIR0001") }
    Name (\LDCT, 0)
    Increment (\LDCT)   // table-level code runs at load time
}
