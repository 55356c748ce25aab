// ObjectType of every object type 0-16 (ACPI 6.5 section 19.6.97, "Object
// Type Code" table): of names, of LocalX/ArgX holding each kind, through
// RefOf, through an Alias, of Debug and of an uninitialised LocalX; also
// the opcodes only these objects use: Alias, External (firmware's
// CondRefOf guard of an absent name), Processor, PowerResource,
// ThermalZone, ParentPrefixChar (^NAME), Arg3-Arg6. DDBHandle (15) is in
// load.asl. acpiexec 20200925 returns the same 0x1ffff.
// expect: int 0x1ffff
DefinitionBlock ("", "DSDT", 2, "CAIRN", "OBJTYPES", 1)
{
    External (\_SB.ABSN, IntObj)         // never defined
    Name (INT0, 0x1234)
    Name (STR0, "text")
    Name (BUF0, Buffer (4) { 1, 2, 3, 4 })
    Name (PKG0, Package () { 1, "two" })
    OperationRegion (RGN0, SystemMemory, 0x300000, 0x10)
    Field (RGN0, ByteAcc, NoLock, Preserve) { FLD0, 8 }
    CreateWordField (BUF0, 1, BFL0)
    Event (EVT0)
    Mutex (MTX0, 0)
    PowerResource (PRS0, 0, 0)
    {
        Method (_STA) { Return (1) }
        Method (_ON) { }
        Method (_OFF) { }
    }
    Processor (\_PR.CPU0, 1, 0x810, 6) { Name (PVAL, 12) }
    Scope (\_TZ) { ThermalZone (TZ00) { Method (_TMP) { Return (3000) } } }
    Alias (INT0, ALI0)
    Device (DEV0)
    {
        Name (DVAL, 6)
        Name (_ADR, 0)
        // A method is a scope: ^ is \DEV0.SUB0, ^^ \DEV0, ^^^ the root.
        Device (SUB0)
        {
            Name (_ADR, 1)
            Name (DVAL, 99)  // the search rules would find this one
            Method (UP, 0) { Return (^^DVAL + ^^^INT0) }
        }
    }

    // Arg3-Arg6 carry their own types: their ObjectType and values.
    Method (M7, 7)
    {
        If (ObjectType (Arg3) != 3 || ObjectType (Arg4) != 4) { Return (1) }
        If (ObjectType (Arg5) != 2 || ObjectType (Arg6) != 1) { Return (2) }
        Return (Arg0 + Arg1 + Arg2 + DerefOf (Arg3 [2]) +
                DerefOf (Arg4 [0]) + SizeOf (Arg5) + Arg6)
    }

    Method (MAIN, 0)
    {
        Local0 = 0
        If (ObjectType (Local7) == 0) { Local0 |= 1 << 0 }
        If (ObjectType (INT0) == 1) { Local0 |= 1 << 1 }
        If (ObjectType (STR0) == 2) { Local0 |= 1 << 2 }
        If (ObjectType (BUF0) == 3) { Local0 |= 1 << 3 }
        If (ObjectType (PKG0) == 4) { Local0 |= 1 << 4 }
        If (ObjectType (FLD0) == 5) { Local0 |= 1 << 5 }
        If (ObjectType (DEV0) == 6) { Local0 |= 1 << 6 }
        If (ObjectType (EVT0) == 7) { Local0 |= 1 << 7 }
        If (ObjectType (M7) == 8) { Local0 |= 1 << 8 }
        If (ObjectType (MTX0) == 9) { Local0 |= 1 << 9 }
        If (ObjectType (RGN0) == 10) { Local0 |= 1 << 10 }
        If (ObjectType (PRS0) == 11) { Local0 |= 1 << 11 }
        If (ObjectType (\_PR.CPU0) == 12) { Local0 |= 1 << 12 }
        If (ObjectType (\_TZ.TZ00) == 13) { Local0 |= 1 << 13 }
        If (ObjectType (BFL0) == 14) { Local0 |= 1 << 14 }
        If (ObjectType (Debug) == 16) { Local0 |= 1 << 15 }

        // Through references, an alias and locals holding values.
        Local1 = RefOf (MTX0)
        If (ObjectType (Local1) != 9) { Return (0x101) }
        If (ObjectType (ALI0) != 1 || ALI0 != 0x1234) { Return (0x102) }
        Local2 = BFL0                        // a buffer field's value
        If (ObjectType (Local2) != 1 || Local2 != 0x0302) { Return (0x103) }
        Local3 = FLD0
        If (ObjectType (Local3) != 1) { Return (0x104) }
        If (ObjectType (\_PR.CPU0.PVAL) != 1) { Return (0x105) }
        If (\_TZ.TZ00._TMP () != 3000) { Return (0x106) }
        If (\DEV0.SUB0.UP () != 0x123a) { Return (0x107) }
        If (CondRefOf (\_SB.ABSN)) { Return (0x108) }
        Local4 = M7 (1, 2, 3, BUF0, PKG0, STR0, 0x10)
        If (Local4 != 0x1e) { Return (0x109) }
        Local0 |= 1 << 16
        Return (Local0)
    }
}
