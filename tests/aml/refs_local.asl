// References to LocalX / ArgX and multi-level references, with Windows'
// semantics (docs/aml.md lists where ACPICA differs): RefOf of a local
// holding a plain value, reads and stores through it (also from a callee
// through ArgX, and passed on through a second method); a reference to a
// reference: DerefOf follows every level; a LocalX or ArgX holding a
// reference stands for the referenced object when stored to (LocalX with
// implicit conversion, ArgX overwriting) and when incremented, while
// storing a reference to a LocalX rebinds it, and so does any store to a
// LocalX holding a reference to a non-data object (a Method); Index
// through references to a package, buffer and string; CopyObject to a
// LocalX holding a reference replaces the local; CondRefOf on locals and
// arguments.
// expect: int 0x55
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFSL", 1)
{
    Name (VAL0, 5)
    Name (VAL1, 1)
    Name (STR1, "ab")
    Name (PKG0, Package () { 1, Package () { 10, 11 }, 3 })
    Name (BUF0, Buffer () { 0x10, 0x20, 0x30 })
    Name (STR0, "abc")
    Method (SET7, 1) { Arg0 = 7 }
    Method (PASS, 1) { SET7 (Arg0) }
    Method (FWD, 1) { SET7 (RefOf (Arg0)) }
    Method (CARG, 1)
    {
        If (CondRefOf (Arg0, Local0)) { Return (DerefOf (Local0)) }
        Return (0)
    }
    Method (MAIN, 0)
    {
        Local0 = 1
        Local1 = RefOf (Local0)
        Local0 = 2
        If (DerefOf (Local1) != 2) { Return (1) }
        SET7 (RefOf (Local0))
        If (Local0 != 7) { Return (2) }
        Local0 = 0
        PASS (RefOf (Local0))
        If (Local0 != 7) { Return (3) }
        Local2 = RefOf (VAL0)
        Local3 = RefOf (Local2)
        If (DerefOf (Local3) != 5) { Return (4) }
        Local4 = RefOf (PKG0)
        If (DerefOf (Index (DerefOf (Local4), 2)) != 3) { Return (5) }
        If (DerefOf (Index (DerefOf (Index (PKG0, 1)), 1)) != 11) { Return (6) }
        Local5 = RefOf (BUF0)
        Store (0x21, Index (DerefOf (Local5), 1))
        If (DerefOf (BUF0 [1]) != 0x21) { Return (7) }
        Local6 = RefOf (STR0)
        If (DerefOf (Index (DerefOf (Local6), 1)) != 0x62) { Return (8) }
        Local0 = Package () { 4, 5, 6 }
        Local1 = RefOf (Local0)
        If (DerefOf (Index (DerefOf (Local1), 1)) != 5) { Return (9) }
        SET7 (RefOf (Local2))                 // Local2 holds RefOf (VAL0)
        If (VAL0 != 7) { Return (10) }
        If (DerefOf (Local2) != 7) { Return (11) }
        FWD (RefOf (VAL1))
        If (VAL1 != 7) { Return (12) }
        If (!CondRefOf (Local5, Local7)) { Return (13) }
        If (ObjectType (DerefOf (Local7)) != 3) { Return (14) }
        If (CARG (3) != 3) { Return (15) }
        Local0 = 0x50
        Local1 = RefOf (Local0)
        Local1 = 9                            // stored to Local0
        If (Local0 != 9) { Return (16) }
        Local1++
        If (Local0 != 10) { Return (17) }
        Local2 = RefOf (STR1)
        Local2 = 0x41                         // converted to a String
        If (ObjectType (STR1) != 2) { Return (18) }
        Local4 = Index (PKG0, 2)
        Local4 = 30
        If (DerefOf (PKG0 [2]) != 30) { Return (19) }
        Local4 = Index (PKG0, 0)              // a reference rebinds
        If (DerefOf (PKG0 [2]) != 30) { Return (21) }
        If (DerefOf (Local4) != 1) { Return (22) }
        CopyObject (1, Local4)                // replaces the local
        If (DerefOf (PKG0 [2]) != 30) { Return (20) }
        If (CondRefOf (\_OSI, Local3)) { Local3 = \_OS } // reused: rebinds
        If (ObjectType (Local3) != 2) { Return (23) }
        Local1 = RefOf (Local0)
        DerefOf (Local1) = 0x55
        Return (Local0)
    }
}
