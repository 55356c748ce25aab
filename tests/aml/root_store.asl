// The root `\` is the namespace itself, not an object a store can
// replace: Store, CopyObject and a store through a reference to it are
// refused, one reported error each, and it stays the root scope. ACPICA
// refuses a Store to it too ("Target must be [Buffer/Integer/String/
// Reference], found [Device]"); acpiexec 20200925 dies (Segmentation
// Fault) on `CopyObject (0x55, \)`. Before: each replaced the root's
// value, which teardown never released: the reference `CondRefOf (FOO, \)`
// made after `CopyObject (Package, \)` leaked (LeakSanitizer, 112 bytes;
// the aml_load fuzz target's finding, issue 14, fifth campaign).
// expect: int 0x7
// errors: 4
// iasl: -f
DefinitionBlock ("", "DSDT", 2, "CAIRN", "ROOTST", 1)
{
    Name (FOO, 1)
    Name (RSLT, 0)
    Method (OVWR, 1)
    {
        Arg0 = 0x66
        RSLT |= 0x100
    }
    CopyObject (0x55, \)
    OVWR (RefOf (\))
    CopyObject (Package () {0}, \)
    CondRefOf (FOO, \)
    Name (BAR, 2)
    Method (MAIN, 0)
    {
        If (ObjectType (\) == 0)
        {
            RSLT |= 1 // a Scope, as every name made by Scope ()
        }
        If ((FOO == 1) && (\BAR == 2))
        {
            RSLT |= 2
        }
        If (CondRefOf (\BAR, Local0))
        {
            RSLT |= 4
        }
        Return (RSLT)
    }
}
