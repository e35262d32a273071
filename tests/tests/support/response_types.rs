//! The list of every type of `codearts_repo::types` (response bodies, the error body, every
//! nested DTO and enum), for the decoder fuzzers: `fuzz_decode.rs`, whose
//! `every_type_is_fuzzed` keeps the list complete, and the cargo-fuzz target
//! `fuzz/fuzz_targets/decode_responses.rs`, which includes this file by path. One list, so
//! that the two cannot fuzz different types.

/// Expands to `$then!(ErrorResponseBody, MemberAccess, ...)`: the callback macro is given
/// the name of every type.
// Allowed: only one of the test binaries that include `support` uses it.
#[allow(unused_macros)]
macro_rules! with_every_response_type {
    ($then:ident) => {
        $then!(
            ErrorResponseBody,
            MemberAccess,
            NamespaceBasicDto,
            PermissionsDto,
            RepositoryIdentityDto,
            RepositorySimpleDto,
            RepositorySimpleDtoDevelopMode,
            RepositoryStatisticsDto,
            RepositoryUserBasicDto,
            RepositoryUserBasicDtoState,
            ShowRepositoryResponseBody,
            ShowRepositoryResponseBodyDevelopMode,
            ShowRepositoryStatisticsStatusResponseBody,
            ShowRepositoryStatisticsStatusResponseBodyReason,
            StatisticEventsDto,
        );
    };
}

#[allow(unused_imports)]
pub(crate) use with_every_response_type;
