#include "core/workload/keydistribution.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cachescope {

std::shared_ptr<const RankDistribution> RankDistribution::zipf(std::size_t n, double s)
{
    if (n == 0)
        throw std::invalid_argument("a key distribution needs at least one key");
    if (!(s >= 0.0) || !std::isfinite(s))
        throw std::invalid_argument("the Zipf exponent must be a finite number >= 0");
    if (s == 0.0)
        return uniform(n);
    std::vector<double> cdf(n);
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        sum += std::pow(double(k + 1), -s);
        cdf[k] = sum;
    }
    for (double &c : cdf)
        c /= sum;
    cdf.back() = 1.0;
    return std::shared_ptr<const RankDistribution>(new RankDistribution(n, std::move(cdf)));
}

std::shared_ptr<const RankDistribution> RankDistribution::uniform(std::size_t n)
{
    if (n == 0)
        throw std::invalid_argument("a key distribution needs at least one key");
    return std::shared_ptr<const RankDistribution>(new RankDistribution(n, {}));
}

double RankDistribution::probability(std::size_t rank) const
{
    if (rank >= m_n)
        return 0.0;
    if (m_cdf.empty())
        return 1.0 / double(m_n);
    return rank == 0 ? m_cdf[0] : m_cdf[rank] - m_cdf[rank - 1];
}

std::size_t RankDistribution::sampleCdf(double u) const
{
    const auto it = std::upper_bound(m_cdf.begin(), m_cdf.end(), u);
    return std::min(std::size_t(it - m_cdf.begin()), m_n - 1);
}

KeySpace::KeySpace(
    std::vector<std::int64_t> keys, std::shared_ptr<const RankDistribution> distribution, std::uint64_t seed)
    : m_keys(std::move(keys))
    , m_distribution(std::move(distribution))
{
    if (m_keys.size() != m_distribution->size())
        throw std::invalid_argument("key space and distribution differ in size");
    std::mt19937_64 rng(seed ^ 0x5eed'0f'4b'e1ULL);
    std::shuffle(m_keys.begin(), m_keys.end(), rng);
}

KeyStream::KeyStream(std::shared_ptr<const KeySpace> space, std::uint64_t seed, std::uint64_t clientIndex)
    : m_space(std::move(space))
{
    std::seed_seq seq {std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(clientIndex),
        std::uint32_t(clientIndex >> 32), 0xC5C0u};
    m_rng.seed(seq);
}

} // namespace cachescope
