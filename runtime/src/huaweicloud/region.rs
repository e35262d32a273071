//! The Huawei Cloud regions where CodeArts Repo is offered, and their endpoints.

use std::fmt;
use std::str::FromStr;

/// A Huawei Cloud region with a CodeArts Repo endpoint (the regions of the
/// official Huawei Cloud SDK).
///
/// For any other endpoint (a proxy, a test server) use
/// [`ClientBuilder::endpoint`](super::ClientBuilder::endpoint).
///
/// `"cn-north-4".parse::<Region>()` gives [`Region::CnNorth4`], whose
/// [`endpoint`](Region::endpoint) is `https://codehub-ext.cn-north-4.myhuaweicloud.com`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Region {
    /// `cn-north-1` (Beijing 1).
    CnNorth1,
    /// `cn-north-4` (Beijing 4).
    CnNorth4,
    /// `cn-east-2` (Shanghai 2).
    CnEast2,
    /// `cn-east-3` (Shanghai 1).
    CnEast3,
    /// `cn-south-1` (Guangzhou).
    CnSouth1,
    /// `cn-south-2` (Shenzhen).
    CnSouth2,
    /// `cn-southwest-2` (Guiyang 1).
    CnSouthwest2,
    /// `ap-southeast-3` (Singapore).
    ApSoutheast3,
    /// `sa-brazil-1` (Sao Paulo 1).
    SaBrazil1,
    /// `la-north-2` (Mexico City 2).
    LaNorth2,
    /// `la-south-2` (Santiago).
    LaSouth2,
    /// `tr-west-1` (Istanbul).
    TrWest1,
    /// `eu-west-101` (Dublin).
    EuWest101,
    /// `me-east-1` (Riyadh).
    MeEast1,
    /// `af-south-1` (Johannesburg).
    AfSouth1,
    /// `af-north-1` (Cairo).
    AfNorth1,
}

impl Region {
    /// Every region, in declaration order.
    pub const ALL: &'static [Region] = &[
        Region::CnNorth1,
        Region::CnNorth4,
        Region::CnEast2,
        Region::CnEast3,
        Region::CnSouth1,
        Region::CnSouth2,
        Region::CnSouthwest2,
        Region::ApSoutheast3,
        Region::SaBrazil1,
        Region::LaNorth2,
        Region::LaSouth2,
        Region::TrWest1,
        Region::EuWest101,
        Region::MeEast1,
        Region::AfSouth1,
        Region::AfNorth1,
    ];

    /// The region id, e.g. `cn-north-4`.
    pub const fn id(self) -> &'static str {
        match self {
            Region::CnNorth1 => "cn-north-1",
            Region::CnNorth4 => "cn-north-4",
            Region::CnEast2 => "cn-east-2",
            Region::CnEast3 => "cn-east-3",
            Region::CnSouth1 => "cn-south-1",
            Region::CnSouth2 => "cn-south-2",
            Region::CnSouthwest2 => "cn-southwest-2",
            Region::ApSoutheast3 => "ap-southeast-3",
            Region::SaBrazil1 => "sa-brazil-1",
            Region::LaNorth2 => "la-north-2",
            Region::LaSouth2 => "la-south-2",
            Region::TrWest1 => "tr-west-1",
            Region::EuWest101 => "eu-west-101",
            Region::MeEast1 => "me-east-1",
            Region::AfSouth1 => "af-south-1",
            Region::AfNorth1 => "af-north-1",
        }
    }

    /// The HTTPS base URL of CodeArts Repo in this region.
    pub const fn endpoint(self) -> &'static str {
        match self {
            Region::CnNorth1 => "https://codehub-ext.cn-north-1.myhuaweicloud.com",
            Region::CnNorth4 => "https://codehub-ext.cn-north-4.myhuaweicloud.com",
            Region::CnEast2 => "https://codehub-ext.cn-east-2.myhuaweicloud.com",
            Region::CnEast3 => "https://codehub-ext.cn-east-3.myhuaweicloud.com",
            Region::CnSouth1 => "https://codehub-ext.cn-south-1.myhuaweicloud.com",
            Region::CnSouth2 => "https://codehub-ext.cn-south-2.myhuaweicloud.com",
            Region::CnSouthwest2 => "https://codehub-ext.cn-southwest-2.myhuaweicloud.com",
            Region::ApSoutheast3 => "https://codehub-ext.ap-southeast-3.myhuaweicloud.com",
            Region::SaBrazil1 => "https://codehub-ext.sa-brazil-1.myhuaweicloud.com",
            Region::LaNorth2 => "https://codehub-ext.la-north-2.myhuaweicloud.com",
            Region::LaSouth2 => "https://codeartsrepo-ext.la-south-2.myhuaweicloud.com",
            Region::TrWest1 => "https://codeartsrepo-ext.tr-west-1.myhuaweicloud.com",
            Region::EuWest101 => "https://codeartsrepo-ext.eu-west-101.myhuaweicloud.com",
            Region::MeEast1 => "https://repo.me-east-1.myhuaweicloud.com",
            Region::AfSouth1 => "https://repo.af-south-1.myhuaweicloud.com",
            Region::AfNorth1 => "https://repo.af-north-1.myhuaweicloud.com",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Region {
    type Err = ParseRegionError;

    /// Parses a region id such as `cn-north-4` (ASCII case-insensitive,
    /// surrounding whitespace ignored).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Region::ALL
            .iter()
            .copied()
            .find(|region| region.id().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| ParseRegionError {
                input: wanted.chars().take(64).collect(),
            })
    }
}

/// A string that is not the id of a known [`Region`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseRegionError {
    input: String,
}

impl fmt::Display for ParseRegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown region {:?}; known regions: ", self.input)?;
        for (i, region) in Region::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(region.id())?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseRegionError {}
