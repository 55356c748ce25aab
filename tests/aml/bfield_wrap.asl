// Create*Field bounds compared without overflow: a byte index past 2^61
// (CreateByteField, CreateDWordField) wrapped when scaled to bits, and
// CreateField's index + length wrapped near 2^64, so each passed the
// bound with a bit offset 4 GB past the buffer, and reading the field
// was a SEGV (the aml_load fuzz target, issue 14, sixth campaign). Now
// each is refused with one reported error and the name is not created.
// expect: int 0xf
// errors: 3
DefinitionBlock ("", "DSDT", 2, "CAIRN", "BFWRAP", 1)
{
    Name (BUF, Buffer (16) {})
    CreateByteField (BUF, 0x1FFFFFFFFFFFFFFF, BYT)
    CreateDWordField (BUF, 0x1FFFFFFFFFFFFFFF, DWD)
    CreateField (BUF, 0xFFFFFFFFFFFFFFF8, 8, FLD)
    CreateByteField (BUF, 15, LAST)
    Method (MAIN, 0)
    {
        Local0 = 0
        If (CondRefOf (BYT))
        {
            Local1 = BYT // before: SEGV
        }
        Else
        {
            Local0 |= 1
        }
        If (CondRefOf (DWD))
        {
            Local1 = DWD // before: SEGV
        }
        Else
        {
            Local0 |= 2
        }
        If (CondRefOf (FLD))
        {
            Local1 = FLD // before: SEGV
        }
        Else
        {
            Local0 |= 4
        }
        LAST = 0x5A
        If (DerefOf (BUF [15]) == 0x5A)
        {
            Local0 |= 8
        }
        Return (Local0)
    }
}
