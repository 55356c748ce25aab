// Storing a package into one of its own elements, again and again (found
// by the aml_methods fuzz target, issue 14 third campaign): each Store
// deep-copies the package, copies included, so the copy doubles with each
// store (40 of them: 2^40 packages, minutes). First bounded per copy (past
// 16384 elements nested packages were shared), but 500 such statements
// still took 1.8 s; now each statement has a work budget (elements copied
// plus field access units, AML_STMT_WORK): the store whose copy would run
// past it fails with one reported error, and GROW is aborted. Called from
// table-level code, so the rest of the table still loads (nt_recover.asl).
// Before: GROW ran all 40 rounds and no error was reported.
// Host-only: near the budget the package takes more heap than the
// in-kernel runner's arena.
// expect: int 0x3f
// errors: 2
DefinitionBlock ("", "DSDT", 2, "CAIRN", "PKGSELF", 1)
{
    Name (PKG0, Package (3) {1, "x", 2})
    Name (CNT, 0)
    Method (GROW, 0)
    {
        While (CNT < 40)
        {
            PKG0 [0] = PKG0
            PKG0 [2] = PKG0
            CNT++
        }
    }
    GROW ()
    Name (AFTR, 1)
    Method (MAIN, 0)
    {
        Local0 = 0
        // Stopped by the budget (after 8 rounds today).
        If (CNT > 4 && CNT < 16) { Local0 |= 1 }
        If (SizeOf (PKG0) == 3) { Local0 |= 2 }
        If (ObjectType (DerefOf (PKG0 [0])) == 4) { Local0 |= 4 }
        Local2 = DerefOf (PKG0 [2])
        // Copy, not alias: the element written after the copy stays apart.
        PKG0 [1] = "y"
        If (DerefOf (Local2 [1]) == "x") { Local0 |= 8 }
        If (DerefOf (PKG0 [1]) == "y") { Local0 |= 0x10 }
        If (CondRefOf (AFTR)) { Local0 |= 0x20 }
        Return (Local0)
    }
}
