// Cache hit throughput and memory, in one run (ratios, not absolute numbers, are what matter on
// a shared machine):
//  - gets on resident keys, 1 and 2 threads, for every policy of CacheTier;
//  - the same against a naive LRU (one std::mutex around std::list + std::unordered_map) and an
//    unsynchronised std::unordered_map lookup (the practical ceiling);
//  - hit ratio of one thread against two sharing a tier (what contended hit sampling costs);
//  - what a recorded hit costs the policy alone (LRU, W-TinyLFU: the policies that hear of hits
//    one by one), without the tier around it;
//  - puts of absent keys, each evicting one;
//  - memory per entry beyond key and value for every policy (malloc accounting);
//  - hit ratio of every policy on the shared traces, next to LRU's (when the traces are there).
//
//   build/release/bench/cache_throughput [--seconds S] [--rounds R] [--entries N] [--memory-entries N]
//                                        [--traces DIR]
// Each throughput figure is the median of R rounds (1 thread, then 2 threads, per round).
#include "bench/benchcommon.h"
#include "core/cache/cachetier.h"
#include "core/cache/tracereplay.h"
#include "core/workload/keydistribution.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <list>
#include <malloc.h>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>

using namespace cachescope;
using cachescope::bench::median;
using namespace Qt::StringLiterals;

namespace {

class NaiveLru {
public:
    explicit NaiveLru(std::size_t capacity)
        : m_capacity(capacity)
    {
    }
    std::optional<QByteArray> get(std::int64_t key)
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_index.find(key);
        if (it == m_index.end())
            return std::nullopt;
        m_order.splice(m_order.begin(), m_order, it->second);
        return it->second->second;
    }
    void put(std::int64_t key, QByteArray value)
    {
        std::lock_guard lock(m_mutex);
        if (m_index.size() >= m_capacity) {
            m_index.erase(m_order.back().first);
            m_order.pop_back();
        }
        m_order.emplace_front(key, std::move(value));
        m_index[key] = m_order.begin();
    }

private:
    std::mutex m_mutex;
    std::size_t m_capacity;
    std::list<std::pair<std::int64_t, QByteArray>> m_order;
    std::unordered_map<std::int64_t, std::list<std::pair<std::int64_t, QByteArray>>::iterator> m_index;
};

// Runs `op(key)` on `threads` threads over pre-drawn resident keys for `seconds`; ops per second.
template<typename Op> double measure(int threads, double seconds, std::size_t entries, Op op)
{
    std::vector<std::vector<std::int64_t>> keys(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
        std::mt19937_64 rng {std::uint64_t(t) + 11};
        std::uniform_int_distribution<std::int64_t> pick(0, std::int64_t(entries) - 1);
        keys[std::size_t(t)].resize(1 << 16);
        for (auto &k : keys[std::size_t(t)])
            k = pick(rng);
    }
    std::atomic<bool> stop {false};
    std::atomic<std::uint64_t> total {0};
    std::atomic<std::uint64_t> checksum {0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            const auto &mine = keys[std::size_t(t)];
            std::uint64_t n = 0;
            std::uint64_t sum = 0;
            while (!stop.load(std::memory_order_relaxed)) {
                for (int i = 0; i < 1024; ++i)
                    sum += op(mine[(n + std::uint64_t(i)) & 0xffff]);
                n += 1024;
            }
            total.fetch_add(n);
            checksum.fetch_add(sum);
        });
    }
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop.store(true);
    for (auto &thread : pool)
        thread.join();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (checksum.load() == 1)
        std::puts("");
    return double(total.load()) / elapsed;
}

struct Scaling {
    double one = 0; // median gets/s, 1 thread
    double two = 0; // median gets/s, 2 threads
};

template<typename Op> Scaling measureRounds(int rounds, double seconds, std::size_t entries, Op op)
{
    std::vector<double> one;
    std::vector<double> two;
    for (int r = 0; r < rounds; ++r) {
        one.push_back(measure(1, seconds, entries, op));
        two.push_back(measure(2, seconds, entries, op));
    }
    return {median(one), median(two)};
}

// Hit ratio of `threads` threads sharing one tier, each reading keys drawn from `keys` and
// putting what it misses; `requests` requests in all.
constexpr std::size_t kZipfKeys = 100'000;
double sharedHitRatio(const QString &policy, std::size_t capacity, int threads, const RankDistribution &keys,
    const QByteArray &row, std::uint64_t requests)
{
    CacheTier tier({capacity, std::chrono::nanoseconds(0), 0, policy});
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            std::mt19937_64 rng {std::uint64_t(t) + 7};
            for (std::uint64_t i = 0; i < requests / std::uint64_t(threads); ++i) {
                const auto key = std::int64_t(keys.sample(rng));
                if (!tier.read(key, [](const QByteArray &, std::int64_t) {}))
                    tier.put(key, row);
            }
        });
    }
    for (auto &thread : pool)
        thread.join();
    const CacheStats stats = tier.stats();
    return double(stats.hits) / double(stats.hits + stats.misses);
}

// What contention costs in hit ratio: with two threads, LRU and W-TinyLFU hear of only part of
// the hits (dropped buffers, sampling); the same Zipf stream, one thread vs two.
void printSharedHitRatios(const QByteArray &row, std::uint64_t requests)
{
    const auto zipf = RankDistribution::zipf(kZipfKeys, 0.99);
    std::printf("\nhit ratio, Zipf 0.99 over %zu keys, %llu get-or-put requests: one thread vs two sharing the tier\n",
        kZipfKeys, static_cast<unsigned long long>(requests));
    std::printf("%-10s %8s %8s %10s %8s %8s %10s\n", "", "10k: 1", "2", "", "90k: 1", "2", "");
    for (const QString &policy : EvictionPolicy::names()) {
        std::printf("%-10s", qPrintable(policy));
        for (const std::size_t capacity : {std::size_t(10'000), std::size_t(90'000)}) {
            const double one = sharedHitRatio(policy, capacity, 1, *zipf, row, requests);
            const double two = sharedHitRatio(policy, capacity, 2, *zipf, row, requests);
            std::printf(" %8.4f %8.4f (%+.4f)", one, two, two - one);
        }
        std::printf("\n");
    }
}

// Nanoseconds of one EvictionPolicy::onAccess(), the policy alone: one instance holding
// `entries` slots, full, hit on uniformly random slots (median of `rounds`). Negative for a
// policy that does not hear of hits one by one.
double policyAccessNanos(const QString &policy, std::size_t entries, int rounds, double seconds)
{
    const std::unique_ptr<EvictionPolicy> made = EvictionPolicy::create(policy, entries);
    if (!made || made->hitReporting() != HitReporting::Ordered)
        return -1;
    EvictionPolicy &p = *made;
    const auto hashOf = [](Slot slot) { return (std::uint64_t(slot) + 1) * 0x9e3779b97f4a7c15ULL; };
    for (Slot slot = 0; slot < entries; ++slot) {
        p.onMiss(hashOf(slot));
        p.onInsert(slot, hashOf(slot));
    }
    std::vector<Slot> hits(1 << 16);
    std::mt19937_64 rng {5};
    for (Slot &slot : hits)
        slot = Slot(rng() % entries);
    std::vector<double> nanos;
    for (int r = 0; r < rounds; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const auto until = start + std::chrono::duration<double>(seconds);
        std::uint64_t n = 0;
        do {
            for (const Slot slot : hits)
                p.onAccess(slot, hashOf(slot));
            n += hits.size();
        } while (std::chrono::steady_clock::now() < until);
        nanos.push_back(
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / double(n));
    }
    return median(nanos);
}

// (Not inlined: g++ 12 reports a null dereference of its own making when this joins main().)
[[gnu::noinline]] void printPolicyAccessCosts(std::size_t entries, int rounds, double seconds)
{
    std::printf(
        "\npolicy bookkeeping per recorded hit, the policy alone (%zu entries, ns, median of %d)\n", entries, rounds);
    for (const QString &policy : EvictionPolicy::names()) {
        const double nanos = policyAccessNanos(policy, entries, rounds, seconds);
        if (nanos >= 0)
            std::printf("%-10s %6.1f ns\n", qPrintable(policy), nanos);
    }
}

double bytesPerEntry(const QString &policy, std::size_t entries)
{
    const QByteArray value(16, 'v');
    const std::size_t before = mallinfo2().uordblks;
    {
        auto tier = std::make_unique<CacheTier>(CacheTierConfig {entries, std::chrono::nanoseconds(0), 0, policy});
        for (std::size_t k = 0; k < entries; ++k)
            tier->put(std::int64_t(k), value); // shared value: its bytes are counted once
        const std::size_t after = mallinfo2().uordblks;
        return (double(after) - double(before)) / double(entries) - double(sizeof(std::int64_t));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption secondsOption(u"seconds"_s, u"Seconds per measurement."_s, u"S"_s, u"1"_s);
    const QCommandLineOption entriesOption(u"entries"_s, u"Resident entries."_s, u"N"_s, u"100000"_s);
    const QCommandLineOption memoryOption(
        u"memory-entries"_s, u"Entries for the memory measurement."_s, u"N"_s, u"1000000"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Rounds per figure (the median is shown)."_s, u"R"_s, u"3"_s);
    const QCommandLineOption tracesOption(
        u"traces"_s, u"Folder of the shared traces."_s, u"DIR"_s, qEnvironmentVariable("CACHESCOPE_TRACES"));
    const QCommandLineOption zipfRequestsOption(
        u"zipf-requests"_s, u"Requests of each hit-ratio measurement (one thread vs two)."_s, u"N"_s, u"4000000"_s);
    parser.addOptions({secondsOption, roundsOption, entriesOption, memoryOption, tracesOption, zipfRequestsOption});
    parser.process(app);
    const double seconds = parser.value(secondsOption).toDouble();
    const int rounds = std::max(1, parser.value(roundsOption).toInt());
    const auto entries = std::size_t(parser.value(entriesOption).toULongLong());
    const QByteArray row(100, 'r');

    std::printf("hit throughput, %zu resident entries, gets of random resident keys (M gets/s, median of %d)\n",
        entries, rounds);
    std::printf("%-22s %10s %10s %8s\n", "cache", "1 thread", "2 threads", "scaling");
    std::unordered_map<std::int64_t, QByteArray> plain;
    // Every entry owns its row, as rows read from a database do (a shared buffer would make
    // every get contend on one reference count).
    const auto ownRow = [&] { return QByteArray(row.constData(), row.size()); };
    for (std::size_t k = 0; k < entries; ++k)
        plain.emplace(std::int64_t(k), ownRow());
    NaiveLru naive(entries);
    for (std::size_t k = 0; k < entries; ++k)
        naive.put(std::int64_t(k), ownRow());
    const Scaling plain1
        = measureRounds(rounds, seconds, entries, [&](std::int64_t k) { return plain.find(k)->second.size(); });
    std::printf("%-22s %10.1f %10.1f %7.2fx\n", "unordered_map (unsync)", plain1.one / 1e6, plain1.two / 1e6,
        plain1.two / plain1.one);
    // The same lookup returning a copy of the value, as every cache get does: two atomic
    // reference-count updates on the value's header, shared by both threads' cores.
    const Scaling copy = measureRounds(rounds, seconds, entries, [&](std::int64_t k) {
        const QByteArray value = plain.find(k)->second;
        return value.size();
    });
    std::printf(
        "%-22s %10.1f %10.1f %7.2fx\n", "  + copy of the value", copy.one / 1e6, copy.two / 1e6, copy.two / copy.one);
    const Scaling naive1
        = measureRounds(rounds, seconds, entries, [&](std::int64_t k) { return naive.get(k)->size(); });
    std::printf(
        "%-22s %10.1f %10.1f %7.2fx\n", "naive mutex LRU", naive1.one / 1e6, naive1.two / 1e6, naive1.two / naive1.one);
    for (const QString &policy : EvictionPolicy::names()) {
        CacheTier tier({entries, std::chrono::nanoseconds(0), 0, policy});
        for (std::size_t k = 0; k < entries; ++k)
            tier.put(std::int64_t(k), ownRow());
        const Scaling t = measureRounds(rounds, seconds, entries, [&](std::int64_t k) { return tier.get(k)->size(); });
        std::printf("%-22s %10.1f %10.1f %7.2fx   %.1fx naive at 2 threads\n", qPrintable(u"CacheTier "_s + policy),
            t.one / 1e6, t.two / 1e6, t.two / t.one, t.two / naive1.two);
        // The same gets reading the value in place (CacheTier::read), without copying it out.
        const Scaling inPlace = measureRounds(rounds, seconds, entries, [&](std::int64_t k) {
            qsizetype size = 0;
            tier.read(k, [&size](const QByteArray &value, std::int64_t) { size = value.size(); });
            return size;
        });
        std::printf("%-22s %10.1f %10.1f %7.2fx   %.1fx naive at 2 threads\n", "  read in place", inPlace.one / 1e6,
            inPlace.two / 1e6, inPlace.two / inPlace.one, inPlace.two / naive1.two);
    }

    printPolicyAccessCosts(entries, rounds, seconds);
    printSharedHitRatios(row, std::max<std::uint64_t>(2, parser.value(zipfRequestsOption).toULongLong()));

    // The writers' side of lock-free hits: puts of absent keys, each evicting (a retired entry
    // per put).
    std::printf("\nmisses, %zu resident entries: puts of absent keys, each evicting one (M puts/s, median of %d)\n",
        entries, rounds);
    {
        CacheTier tier({entries, std::chrono::nanoseconds(0), 0, u"lru"_s});
        std::atomic<std::int64_t> nextBase {std::int64_t(entries)};
        const Scaling puts = measureRounds(rounds, seconds, entries, [&](std::int64_t) {
            // Keys no thread put before: each thread counts up from its own base.
            thread_local std::int64_t next = 0;
            thread_local std::int64_t end = 0;
            if (next == end) {
                next = nextBase.fetch_add(1 << 20);
                end = next + (1 << 20);
            }
            tier.put(next++, row);
            return std::size_t(1);
        });
        std::printf(
            "%-22s %10.1f %10.1f %7.2fx\n", "CacheTier lru put", puts.one / 1e6, puts.two / 1e6, puts.two / puts.one);
    }

    const auto memoryEntries = std::size_t(parser.value(memoryOption).toULongLong());
    std::printf("\nmemory per entry beyond the 8-byte key and the value (%zu entries)\n", memoryEntries);
    bytesPerEntry(u"lru"_s, memoryEntries); // settle the allocator's arenas first
    for (const QString &policy : EvictionPolicy::names())
        std::printf("%-10s %6.0f bytes\n", qPrintable(policy), bytesPerEntry(policy, memoryEntries));

    const QString traces = parser.value(tracesOption);
    if (!traces.isEmpty() && QDir(traces).exists()) {
        struct Trace {
            const char *name;
            std::size_t capacities[3];
        };
        const Trace list[] = {{"cache2k_web12", {138, 688, 1376}}, {"lirs_sprite", {71, 354, 708}},
            {"lirs_multi2", {57, 284, 568}}, {"cloudphysics_sample", {490, 2449, 4897}}};
        std::printf("\nhit ratio on the shared traces (difference to LRU in percentage points)\n");
        std::printf("%-22s %6s", "trace", "C");
        for (const QString &policy : EvictionPolicy::names())
            std::printf(" %16s", qPrintable(policy));
        std::printf("\n");
        for (const Trace &t : list) {
            const KeyTrace keys = TraceReplay::read(
                traces + u'/' + QString::fromLatin1(t.name) + u".keys"_s, TraceReplay::Format::Keys);
            for (const std::size_t capacity : t.capacities) {
                const double lru = TraceReplay::replay(keys.keys, u"lru"_s, capacity).hitRatio();
                std::printf("%-22s %6zu", t.name, capacity);
                for (const QString &policy : EvictionPolicy::names()) {
                    const double ratio = TraceReplay::replay(keys.keys, policy, capacity).hitRatio();
                    std::printf("   %.4f (%+5.1f)", ratio, (ratio - lru) * 100.0);
                }
                std::printf("\n");
            }
        }
    }
    return 0;
}
