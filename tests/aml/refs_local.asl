// References to LocalX / ArgX and multi-level references: RefOf of a local
// holding a plain value, reads and stores through it (also from a callee
// through ArgX, and passed on through a second method), a reference to a
// reference and DerefOf chains, Index through references to a package,
// buffer and string, storing through ArgX holding a reference to a local
// that holds a reference (the local is overwritten, ACPI 6.5 19.3.5.8),
// CondRefOf on locals and arguments.
// expect: int 0x55
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFSL", 1)
{
    Name (VAL0, 5)
    Name (VAL1, 1)
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
        If (DerefOf (DerefOf (Local3)) != 5) { Return (4) }
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
        SET7 (RefOf (Local2))
        If (Local2 != 7) { Return (10) }
        If (VAL0 != 5) { Return (11) }
        FWD (RefOf (VAL1))
        If (VAL1 != 7) { Return (12) }
        If (!CondRefOf (Local5, Local7)) { Return (13) }
        If (ObjectType (DerefOf (Local7)) != 3) { Return (14) }
        If (CARG (3) != 3) { Return (15) }
        Local0 = 0x50
        Local1 = RefOf (Local0)
        Local1 = 9
        If (Local0 != 0x50) { Return (16) }
        Local1 = RefOf (Local0)
        DerefOf (Local1) = 0x55
        Return (Local0)
    }
}
