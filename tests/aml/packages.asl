// Packages: nesting, Index/DerefOf, stores into elements, names inside
// packages (resolved to the named object), VarPackage, SizeOf, Match.
// expect: int 0x7
DefinitionBlock ("", "DSDT", 2, "CAIRN", "PACKAGES", 1)
{
    Name (INT0, 0x1234)
    Name (PKG0, Package () { 1, "two", Buffer () { 3 }, Package () { 4, 5 }, INT0 })
    Name (PKG1, Package (6) { 10, 20, 30 })
    Method (MAIN, 0)
    {
        If (SizeOf (PKG0) != 5) { Return (1) }
        If (DerefOf (PKG0 [0]) != 1) { Return (2) }
        If (DerefOf (PKG0 [1]) != "two") { Return (3) }
        If (DerefOf (DerefOf (PKG0 [3]) [1]) != 5) { Return (4) }
        If (DerefOf (PKG0 [4]) != 0x1234) { Return (5) }
        PKG0 [0] = 99
        If (DerefOf (PKG0 [0]) != 99) { Return (6) }
        Local0 = PKG0                  // a copy
        Local0 [0] = 7
        If (DerefOf (PKG0 [0]) != 99) { Return (7) }
        If (SizeOf (PKG1) != 6) { Return (8) }
        If (Match (PKG1, MEQ, 20, MTR, 0, 0) != 1) { Return (9) }
        If (Match (PKG1, MGT, 15, MLT, 25, 0) != 1) { Return (10) }
        If (Match (PKG1, MEQ, 77, MTR, 0, 0) != Ones) { Return (11) }
        Local1 = 3
        Local2 = Package (Local1) { 1, 2, 3 }
        If (SizeOf (Local2) != 3) { Return (12) }
        Local3 = Index (PKG1, 2)
        If (DerefOf (Local3) != 30) { Return (13) }
        If (ObjectType (PKG0) != 4) { Return (14) }
        Return (DerefOf (Local0 [0]))
    }
}
