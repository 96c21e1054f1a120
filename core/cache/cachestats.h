#pragma once

#include <cstdint>

namespace cachescope {

/// Counts of one cache tier (or a sum of tiers) as a plain value.
struct CacheStats {
    std::uint64_t hits = 0; ///< gets answered from the cache
    std::uint64_t misses = 0; ///< gets not answered (absent or expired)
    std::uint64_t inserts = 0; ///< puts of a key that was not resident
    std::uint64_t updates = 0; ///< puts that replaced a resident value
    std::uint64_t evictions = 0; ///< entries removed to stay within capacity
    std::uint64_t expirations = 0; ///< entries removed because their TTL had passed
    std::uint64_t invalidations = 0; ///< entries removed on request (remove/clear)
    std::uint64_t rejections = 0; ///< puts refused because one entry exceeds the byte limit
    std::uint64_t entries = 0; ///< entries resident when the stats were taken
    std::uint64_t bytes = 0; ///< bytes those entries take (key + value + stated overhead)

    CacheStats &operator+=(const CacheStats &other)
    {
        hits += other.hits;
        misses += other.misses;
        inserts += other.inserts;
        updates += other.updates;
        evictions += other.evictions;
        expirations += other.expirations;
        invalidations += other.invalidations;
        rejections += other.rejections;
        entries += other.entries;
        bytes += other.bytes;
        return *this;
    }
    /// hits ÷ (hits + misses); 0 when nothing was asked.
    double hitRatio() const { return hits + misses ? double(hits) / double(hits + misses) : 0.0; }
};

} // namespace cachescope
