// A reference chain longer than the interpreter follows: P00[0] refers
// to P01[0], which refers to P02[0], ... to P17[0] (17 levels; the limit
// is 16, AML_REF_MAX_DEPTH). Following it stops at the limit with an
// error, and whatever operand held the chain is released all the same:
// SizeOf did not release it, so a reference object leaked on every such
// SizeOf (found by the aml_load fuzz target, sixth campaign, where two
// elements referred to each other; LeakSanitizer fails amlrun on this
// test before the fix).
// Recovery: an operator's own error (E_RANGE: the depth limit, an Index
// past the end) leaves the table's byte stream where it was, after the
// operator's operands, and the next statement runs. Before, E_RANGE was
// taken for a parse error and the rest of the table was skipped (RSLT
// stayed 0 and MAIN was never defined).
// iasl: -f
// expect: int 0x3
// errors: 3
DefinitionBlock ("", "DSDT", 2, "CAIRN", "REFCHAIN", 1)
{
    Name (P00, Package (1) {})
    Name (P01, Package (1) {})
    Name (P02, Package (1) {})
    Name (P03, Package (1) {})
    Name (P04, Package (1) {})
    Name (P05, Package (1) {})
    Name (P06, Package (1) {})
    Name (P07, Package (1) {})
    Name (P08, Package (1) {})
    Name (P09, Package (1) {})
    Name (P10, Package (1) {})
    Name (P11, Package (1) {})
    Name (P12, Package (1) {})
    Name (P13, Package (1) {})
    Name (P14, Package (1) {})
    Name (P15, Package (1) {})
    Name (P16, Package (1) {})
    Name (P17, Package (1) {})
    Name (REF0, 0)
    Name (RSLT, 0)
    P17 [0] = 0x55
    Store (Index (P17, 0), Index (P16, 0))
    Store (Index (P16, 0), Index (P15, 0))
    Store (Index (P15, 0), Index (P14, 0))
    Store (Index (P14, 0), Index (P13, 0))
    Store (Index (P13, 0), Index (P12, 0))
    Store (Index (P12, 0), Index (P11, 0))
    Store (Index (P11, 0), Index (P10, 0))
    Store (Index (P10, 0), Index (P09, 0))
    Store (Index (P09, 0), Index (P08, 0))
    Store (Index (P08, 0), Index (P07, 0))
    Store (Index (P07, 0), Index (P06, 0))
    Store (Index (P06, 0), Index (P05, 0))
    Store (Index (P05, 0), Index (P04, 0))
    Store (Index (P04, 0), Index (P03, 0))
    Store (Index (P03, 0), Index (P02, 0))
    Store (Index (P02, 0), Index (P01, 0))
    Store (Index (P01, 0), Index (P00, 0))
    CopyObject (Index (P00, 0), REF0)
    SizeOf (REF0)
    DerefOf (REF0)
    RSLT = 1
    Index (P01, 5)
    RSLT |= 2
    Method (MAIN, 0)
    {
        Return (RSLT)
    }
}
