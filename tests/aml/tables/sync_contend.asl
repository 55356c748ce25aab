// An SSDT for tests/kernel/aml_sync.c: an AML Mutex that kernel code holds
// (aml_mutex_acquire) while another kernel thread runs these methods.
// Each returns what Acquire returned: Zero (got it; CNT counts those) or
// Ones (timed out).
DefinitionBlock ("", "SSDT", 2, "CAIRN", "SYNCK", 1)
{
    Mutex (MTXK, 0)
    Name (CNT, 0)
    Method (T100, 0, NotSerialized)
    {
        Local0 = Acquire (MTXK, 100)
        If (Local0 == Zero)
        {
            CNT++
            Release (MTXK)
        }
        Return (Local0)
    }
    Method (TFOR, 0, NotSerialized)
    {
        Local0 = Acquire (MTXK, 0xFFFF)
        If (Local0 == Zero)
        {
            CNT++
            Release (MTXK)
        }
        Return (Local0)
    }
}
