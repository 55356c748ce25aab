// A reference to a LocalX that outlives its method keeps the variable's
// object alive (rule 3 of issue 14, Windows' behaviour): dereferencing or
// storing through it later reads and writes that object, whatever method
// runs in that frame slot by then (OTHR's own Local0 is untouched).
// Before issue 14 this was a reported error (2 errors, result 0x16).
// expect: int 0x127
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFDEAD", 1)
{
    Name (RSLT, 0x11)
    Name (KEEP, 0)
    Method (GETR, 0)
    {
        Local0 = 0x22
        Return (RefOf (Local0))
    }
    Method (OTHR, 0)
    {
        Local0 = 0x33
        Return (DerefOf (KEEP))
    }
    Method (STOR, 1) { Arg0 = 0x44 }
    Method (LIVE, 0)
    {
        Local0 = 5
        Local1 = RefOf (Local0)
        Return (DerefOf (Local1))
    }
    CopyObject (GETR (), KEEP)
    RSLT = OTHR ()
    STOR (KEEP)
    If (DerefOf (KEEP) == 0x44) { RSLT += 0x100 } // written through
    RSLT += LIVE ()                     // while the frame lives: fine
    Method (MAIN, 0) { Return (RSLT) }
}
