// References: RefOf, CondRefOf, DerefOf, Index references stored in
// locals, writes through references passed as arguments, ObjectType.
// expect: int 0x64
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFS", 1)
{
    Name (VAL0, 5)
    Name (PKG0, Package () { 1, 2, 3 })
    Device (DEV0) { Name (_HID, "CRN0001") }
    Method (SETR, 1) { Arg0 = 100 }          // writes through the reference
    Method (MAIN, 0)
    {
        Local0 = RefOf (VAL0)
        If (DerefOf (Local0) != 5) { Return (1) }
        If (!CondRefOf (VAL0, Local1)) { Return (2) }
        If (CondRefOf (NOPE)) { Return (3) }
        If (DerefOf (Local1) != 5) { Return (4) }
        Local2 = Index (PKG0, 1)
        Local2 = 9                            // goes to the element (Windows)
        If (DerefOf (PKG0 [1]) != 9) { Return (5) }
        Store (7, Index (PKG0, 1))
        If (DerefOf (PKG0 [1]) != 7) { Return (6) }
        If (ObjectType (DEV0) != 6) { Return (7) }
        If (ObjectType (VAL0) != 1) { Return (8) }
        If (ObjectType (MAIN) != 8) { Return (9) }
        If (ObjectType (\DEV0._HID) != 2) { Return (10) }
        SETR (RefOf (VAL0))
        Return (VAL0)
    }
}
