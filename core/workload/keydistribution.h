#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace cachescope {

/// A popularity distribution over ranks 0..n-1 (rank 0 the most popular), sampled by inverting
/// its exact cumulative distribution. Immutable after construction: one instance is shared by all
/// clients, each drawing with its own generator.
class RankDistribution {
public:
    /// Zipf with exponent \a s ≥ 0 over \a n ranks: P(rank k) ∝ 1/(k+1)^s. s = 0 is uniform.
    static std::shared_ptr<const RankDistribution> zipf(std::size_t n, double s);
    static std::shared_ptr<const RankDistribution> uniform(std::size_t n);

    std::size_t size() const { return m_n; }
    /// Probability of \a rank.
    double probability(std::size_t rank) const;

    template<typename Rng> std::size_t sample(Rng &rng) const
    {
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
        if (m_cdf.empty())
            return std::min(std::size_t(u * double(m_n)), m_n - 1);
        return sampleCdf(u);
    }

private:
    RankDistribution(std::size_t n, std::vector<double> cdf)
        : m_n(n)
        , m_cdf(std::move(cdf))
    {
    }
    std::size_t sampleCdf(double u) const;

    std::size_t m_n;
    std::vector<double> m_cdf; // empty for uniform
};

/// The keys a workload draws from and how ranks map onto them: the n keys of the table are
/// shuffled with the seed, so popular keys are spread over the table instead of being its first
/// rows. Shared, immutable.
class KeySpace {
public:
    KeySpace(std::vector<std::int64_t> keys, std::shared_ptr<const RankDistribution> distribution, std::uint64_t seed);

    std::size_t size() const { return m_keys.size(); }
    /// The key that has popularity rank \a rank.
    std::int64_t keyAtRank(std::size_t rank) const { return m_keys[rank]; }
    const RankDistribution &distribution() const { return *m_distribution; }

private:
    std::vector<std::int64_t> m_keys; // in rank order
    std::shared_ptr<const RankDistribution> m_distribution;
};

/// One client's deterministic stream of keys: the same seed and client index give the same
/// sequence in every phase, so the baseline and the cached phase ask for the same keys.
class KeyStream {
public:
    KeyStream(std::shared_ptr<const KeySpace> space, std::uint64_t seed, std::uint64_t clientIndex);
    std::int64_t next() { return m_space->keyAtRank(m_space->distribution().sample(m_rng)); }

private:
    std::shared_ptr<const KeySpace> m_space;
    std::mt19937_64 m_rng;
};

} // namespace cachescope
