//! Setting the process environment for the tests that read it, shared by
//! `runtime_env` (the Huawei Cloud chain) and `generic_profile` (the generic
//! core), so that both start every step from the same clean slate.

/// Removes every variable of `names`, then sets `vars`: each step of a test
/// sees exactly the variables it names, none left over from the step before.
///
/// # Safety
///
/// As for [`std::env::set_var`]: no other thread may read or write the
/// environment meanwhile. The caller says why that holds in its binary.
pub unsafe fn replace_vars(names: &[&str], vars: &[(&str, &str)]) {
    // SAFETY: passed on to the caller, above.
    unsafe {
        for name in names {
            std::env::remove_var(name);
        }
        for (name, value) in vars {
            std::env::set_var(name, value);
        }
    }
}
