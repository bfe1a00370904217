package dev.sameface.openvino.binding;

/** {@code ov_element_type_e}, in the header's order (the ordinal is the C value). */
public enum OvElementType {
    DYNAMIC, BOOLEAN, BF16, F16, F32, F64, I4, I8, I16, I32, I64, U1, U2, U3, U4, U6, U8, U16, U32, U64, NF4,
    F8E4M3, F8E5M3, STRING, F4E2M1, F8E8M0;

    static OvElementType of(int value) {
        OvElementType[] all = values();
        if (value < 0 || value >= all.length) {
            throw new IllegalArgumentException("unknown ov_element_type_e " + value);
        }
        return all[value];
    }
}
