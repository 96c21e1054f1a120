#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace cachescope {

/// A popularity distribution over ranks 0..n-1 (rank 0 the most popular), sampled in constant
/// time with Walker's alias method (Vose's construction): one 64-bit draw picks a column and
/// decides between the column's rank and its alias, so a draw costs the same for 1,000 or
/// 10,000,000 keys (a binary search over the cumulative distribution took 12 % of a cached
/// request at 100 % hits). Probabilities are kept to 2^-32. Immutable after construction: one
/// instance is shared by all clients, each drawing with its own generator.
class RankDistribution {
public:
    /// Zipf with exponent \a s ≥ 0 over \a n ranks: P(rank k) ∝ 1/(k+1)^s. s = 0 is uniform.
    static std::shared_ptr<const RankDistribution> zipf(std::size_t n, double s);
    static std::shared_ptr<const RankDistribution> uniform(std::size_t n);
    /// A hot set: the first ⌈hotKeys·n⌉ ranks (at least one) share \a hotRequests of the
    /// requests evenly, the other ranks share the rest evenly. Shares in (0, 1].
    static std::shared_ptr<const RankDistribution> hotspot(std::size_t n, double hotKeys, double hotRequests);
    /// ⌈hotKeys·n⌉, as hotspot() uses it.
    static std::size_t hotCount(std::size_t n, double hotKeys);

    std::size_t size() const { return m_n; }
    /// Probability of \a rank, from the weights (not from the alias table, so tests can hold
    /// the sampler against it).
    double probability(std::size_t rank) const;

    template<typename Rng> std::size_t sample(Rng &rng) const
    {
        static_assert(Rng::min() == 0 && Rng::max() == ~std::uint64_t(0), "a 64-bit generator");
        const std::uint64_t r = rng();
        // The high half picks the column (multiply-shift: uniform over [0, n) for n ≤ 2^32)…
        const auto column = std::size_t(((r >> 32) * std::uint64_t(m_n)) >> 32);
        if (m_columns.empty())
            return column;
        // …the low half keeps the column's own rank with its threshold's probability.
        const Column &c = m_columns[column];
        return std::uint32_t(r) < c.threshold ? column : c.alias;
    }

private:
    struct Column {
        std::uint32_t threshold; // P(keep this column's rank) · 2^32; full columns alias themselves
        std::uint32_t alias;
    };
    RankDistribution(std::size_t n, const std::vector<double> &weights);

    std::size_t m_n;
    std::vector<Column> m_columns; // empty for uniform
    std::vector<double> m_probability; // empty for uniform
};

/// The keys a workload draws from and how ranks map onto them: the n keys of the table are
/// shuffled with the seed, so popular keys are spread over the table instead of being its first
/// rows. Shared, immutable.
class KeySpace {
public:
    KeySpace(std::vector<std::int64_t> keys, std::shared_ptr<const RankDistribution> distribution, std::uint64_t seed);
    /// Trace replay: the distinct keys of \a trace, in order of first appearance, are mapped onto
    /// the table's \a keys (the i-th distinct trace key to the (i mod n)-th key, after the seeded
    /// shuffle); clients replay the mapped trace, each from its own offset. Throws
    /// std::invalid_argument for an empty trace.
    KeySpace(std::vector<std::int64_t> keys, const std::vector<std::int64_t> &trace, std::uint64_t seed);

    /// Shifting hot set: every \a periodNanos the ranks rotate by \a step, so the keys that were
    /// hot turn cold and the next ones turn hot. Call before the key space is shared.
    void setShift(std::size_t step, std::int64_t periodNanos);
    std::size_t shiftStep() const { return m_shiftStep; }
    std::int64_t shiftPeriod() const { return m_shiftPeriod; }
    /// The mapped trace (empty unless trace replay).
    const std::vector<std::int64_t> &trace() const { return m_trace; }

    std::size_t size() const { return m_keys.size(); }
    /// The key that has popularity rank \a rank.
    std::int64_t keyAtRank(std::size_t rank) const { return m_keys[rank]; }
    const RankDistribution &distribution() const { return *m_distribution; }

private:
    std::vector<std::int64_t> m_keys; // in rank order
    std::shared_ptr<const RankDistribution> m_distribution;
    std::vector<std::int64_t> m_trace;
    std::size_t m_shiftStep = 0;
    std::int64_t m_shiftPeriod = 0;
};

/// One client's deterministic stream of keys: the same seed and client index give the same
/// sequence in every phase, so the baseline and the cached phase ask for the same keys.
class KeyStream {
public:
    /// \a startNanos: when the phase started (steady clock), for a shifting hot set.
    KeyStream(std::shared_ptr<const KeySpace> space, std::uint64_t seed, std::uint64_t clientIndex,
        std::int64_t startNanos = 0);
    std::int64_t next()
    {
        if (!m_trace.empty()) {
            const std::int64_t key = m_trace[m_position];
            m_position = m_position + 1 == m_trace.size() ? 0 : m_position + 1;
            return key;
        }
        std::size_t rank = m_space->distribution().sample(m_rng);
        if (m_space->shiftPeriod() > 0)
            rank = (rank + shiftNow()) % m_space->size();
        return m_space->keyAtRank(rank);
    }

private:
    std::size_t shiftNow() const;

    std::shared_ptr<const KeySpace> m_space;
    std::mt19937_64 m_rng;
    const std::vector<std::int64_t> &m_trace;
    std::size_t m_position = 0;
    std::int64_t m_start = 0;
};

} // namespace cachescope
