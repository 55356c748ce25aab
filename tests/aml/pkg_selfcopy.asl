// Storing a package into one of its own elements, again and again (found
// by the aml_methods fuzz target, issue 14 third campaign): each Store
// deep-copies the package, copies included, so the copy doubled with each
// store and 40 of them ran for minutes (2^40 packages; the runner's 120 s
// timeout fails it). One deep copy now visits at most 16384 nested
// elements; past that, nested packages are shared instead of copied. The
// top levels are still real copies: a write to the original does not show
// through them.
// expect: int 0x1f
DefinitionBlock ("", "DSDT", 2, "CAIRN", "PKGSELF", 1)
{
    Name (PKG0, Package (3) {1, "x", 2})
    Method (MAIN, 0)
    {
        Local0 = 0
        Local1 = 0
        While (Local1 < 40)
        {
            PKG0 [0] = PKG0
            PKG0 [2] = PKG0
            Local1++
        }
        If (SizeOf (PKG0) == 3) { Local0 |= 1 }
        If (ObjectType (DerefOf (PKG0 [0])) == 4) { Local0 |= 2 }
        Local2 = DerefOf (PKG0 [2])
        If (ObjectType (DerefOf (Local2 [0])) == 4) { Local0 |= 4 }
        // Copy, not alias: the element written after the copy stays apart.
        PKG0 [1] = "y"
        If (DerefOf (Local2 [1]) == "x") { Local0 |= 8 }
        If (DerefOf (PKG0 [1]) == "y") { Local0 |= 0x10 }
        Return (Local0)
    }
}
