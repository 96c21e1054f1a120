#pragma once

// splitmix64 (Steele, Lea, Flood 2014): the one mixer and seeded stream of core — hashing integer
// keys that are often sequential, and cheap, well-mixed draws per statement or request.
#include <cstdint>

namespace cachescope {

/// The golden-ratio increment of splitmix64.
inline constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

/// splitmix64's finaliser: every input bit reaches every output bit.
constexpr std::uint64_t mix64(std::uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// A well-spread hash of an integer key (sequential keys land far apart).
constexpr std::uint64_t hashKey(std::int64_t key)
{
    return mix64(std::uint64_t(key) + kGoldenGamma);
}

/// The next draw of the seeded stream \a state.
constexpr std::uint64_t nextRandom(std::uint64_t &state)
{
    return mix64(state += kGoldenGamma);
}

/// The next draw of \a state as a uniform number in [0, 1).
constexpr double nextUnit(std::uint64_t &state)
{
    return double(nextRandom(state) >> 11) * 0x1.0p-53;
}

} // namespace cachescope
