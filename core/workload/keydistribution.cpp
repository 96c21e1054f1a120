#include "core/workload/keydistribution.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

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

std::size_t RankDistribution::hotCount(std::size_t n, double hotKeys)
{
    return std::clamp<std::size_t>(std::size_t(std::ceil(hotKeys * double(n))), 1, n);
}

std::shared_ptr<const RankDistribution> RankDistribution::hotspot(std::size_t n, double hotKeys, double hotRequests)
{
    if (n == 0)
        throw std::invalid_argument("a key distribution needs at least one key");
    if (!(hotKeys > 0.0 && hotKeys <= 1.0) || !(hotRequests > 0.0 && hotRequests <= 1.0))
        throw std::invalid_argument("hotspot shares must be in (0, 1]");
    const std::size_t hot = hotCount(n, hotKeys);
    const double cold = hot < n ? (1.0 - hotRequests) / double(n - hot) : 0.0;
    const double hotEach = hot < n ? hotRequests / double(hot) : 1.0 / double(n);
    std::vector<double> cdf(n);
    double sum = 0.0;
    for (std::size_t k = 0; k < n; ++k) {
        sum += k < hot ? hotEach : cold;
        cdf[k] = sum;
    }
    for (double &c : cdf)
        c /= sum;
    cdf.back() = 1.0;
    return std::shared_ptr<const RankDistribution>(new RankDistribution(n, std::move(cdf)));
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

KeySpace::KeySpace(std::vector<std::int64_t> keys, const std::vector<std::int64_t> &trace, std::uint64_t seed)
    : m_keys(std::move(keys))
{
    if (m_keys.empty())
        throw std::invalid_argument("a key distribution needs at least one key");
    if (trace.empty())
        throw std::invalid_argument("the trace holds no keys");
    m_distribution = RankDistribution::uniform(m_keys.size());
    std::mt19937_64 rng(seed ^ 0x5eed'0f'4b'e1ULL);
    std::shuffle(m_keys.begin(), m_keys.end(), rng);
    std::unordered_map<std::int64_t, std::size_t> slot;
    m_trace.reserve(trace.size());
    for (std::int64_t k : trace) {
        const auto [it, inserted] = slot.try_emplace(k, slot.size());
        m_trace.push_back(m_keys[it->second % m_keys.size()]);
    }
}

void KeySpace::setShift(std::size_t step, std::int64_t periodNanos)
{
    m_shiftStep = step;
    m_shiftPeriod = periodNanos;
}

KeyStream::KeyStream(
    std::shared_ptr<const KeySpace> space, std::uint64_t seed, std::uint64_t clientIndex, std::int64_t startNanos)
    : m_space(std::move(space))
    , m_trace(m_space->trace())
    , m_start(startNanos)
{
    std::seed_seq seq {std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(clientIndex),
        std::uint32_t(clientIndex >> 32), 0xC5C0u};
    m_rng.seed(seq);
    if (!m_trace.empty())
        m_position = std::size_t(m_rng() % m_trace.size()); // each client replays from its own offset
}

std::size_t KeyStream::shiftNow() const
{
    const std::int64_t now
        = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
              .count();
    const auto epoch = std::uint64_t(std::max<std::int64_t>(0, now - m_start) / m_space->shiftPeriod());
    return std::size_t((epoch * m_space->shiftStep()) % m_space->size());
}

} // namespace cachescope
