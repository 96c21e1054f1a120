#include "core/workload/keydistribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
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
    std::vector<double> weights(n);
    for (std::size_t k = 0; k < n; ++k)
        weights[k] = std::pow(double(k + 1), -s);
    return std::shared_ptr<const RankDistribution>(new RankDistribution(n, weights));
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
    std::vector<double> weights(n);
    for (std::size_t k = 0; k < n; ++k)
        weights[k] = k < hot ? hotEach : cold;
    return std::shared_ptr<const RankDistribution>(new RankDistribution(n, weights));
}

double RankDistribution::probability(std::size_t rank) const
{
    if (rank >= m_n)
        return 0.0;
    return m_probability.empty() ? 1.0 / double(m_n) : m_probability[rank];
}

RankDistribution::RankDistribution(std::size_t n, const std::vector<double> &weights)
    : m_n(n)
{
    if (n > std::size_t(std::numeric_limits<std::uint32_t>::max()))
        throw std::invalid_argument("a key distribution holds at most 2^32 - 1 keys");
    if (weights.empty())
        return; // uniform: the column alone decides
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    m_probability.resize(n);
    for (std::size_t k = 0; k < n; ++k)
        m_probability[k] = weights[k] / total;
    // Vose's alias construction: scale the weights so that their mean is 1, then pair each column
    // below 1 ("small") with one above ("large") that tops it up to exactly 1.
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small;
    std::vector<std::uint32_t> large;
    for (std::size_t k = 0; k < n; ++k) {
        scaled[k] = m_probability[k] * double(n);
        (scaled[k] < 1.0 ? small : large).push_back(std::uint32_t(k));
    }
    m_columns.resize(n);
    const auto threshold = [](double p) {
        return std::uint32_t(std::clamp(std::llround(p * 4294967296.0), 0LL, 4294967295LL)); // p · 2^32
    };
    while (!small.empty() && !large.empty()) {
        const std::uint32_t s = small.back();
        small.pop_back();
        const std::uint32_t l = large.back();
        m_columns[s] = {threshold(scaled[s]), l};
        scaled[l] -= 1.0 - scaled[s];
        if (scaled[l] < 1.0) {
            large.pop_back();
            small.push_back(l);
        }
    }
    // What is left is 1 up to rounding: such a column keeps its own rank every time.
    for (const std::uint32_t k : large)
        m_columns[k] = {0xffffffffu, k};
    for (const std::uint32_t k : small)
        m_columns[k] = {0xffffffffu, k};
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
