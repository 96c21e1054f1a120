// Key distributions: seeded and deterministic, and the empirical skew matches the requested
// Zipf exponent (chi-square goodness of fit on a fixed seed).
#include "core/workload/keydistribution.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <set>

using namespace cachescope;

namespace {
std::vector<std::int64_t> iota(std::size_t n)
{
    std::vector<std::int64_t> keys(n);
    std::iota(keys.begin(), keys.end(), 1);
    return keys;
}
} // namespace

class TestKeyDistribution : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The same seed and client give the same keys; another client or seed gives others.
    void seededAndDeterministic()
    {
        auto space = std::make_shared<const KeySpace>(iota(1000), RankDistribution::zipf(1000, 0.99), 42);
        auto draw = [&](std::uint64_t seed, std::uint64_t client) {
            KeyStream stream(space, seed, client);
            std::vector<std::int64_t> keys(200);
            for (auto &k : keys)
                k = stream.next();
            return keys;
        };
        QCOMPARE(draw(42, 0), draw(42, 0));
        QVERIFY(draw(42, 0) != draw(42, 1));
        QVERIFY(draw(42, 0) != draw(43, 0));
        // The rank-to-key mapping depends on the seed too, and is a permutation of the keys.
        KeySpace a(iota(1000), RankDistribution::uniform(1000), 1);
        KeySpace b(iota(1000), RankDistribution::uniform(1000), 1);
        std::vector<std::int64_t> seen;
        for (std::size_t r = 0; r < 1000; ++r) {
            QCOMPARE(a.keyAtRank(r), b.keyAtRank(r));
            seen.push_back(a.keyAtRank(r));
        }
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, iota(1000));
    }

    void probabilitiesSumToOne_data()
    {
        QTest::addColumn<double>("exponent");
        QTest::addRow("uniform") << 0.0;
        QTest::addRow("zipf 0.99") << 0.99;
        QTest::addRow("zipf 1.5") << 1.5;
    }
    void probabilitiesSumToOne()
    {
        QFETCH(double, exponent);
        auto d = RankDistribution::zipf(5000, exponent);
        double sum = 0;
        for (std::size_t r = 0; r < d->size(); ++r)
            sum += d->probability(r);
        QVERIFY(std::abs(sum - 1.0) < 1e-9);
        // P(rank 1) / P(rank 2) = 2^s exactly.
        QVERIFY(std::abs(d->probability(0) / d->probability(1) - std::pow(2.0, exponent)) < 1e-9);
    }

    void empiricalSkewMatchesExponent_data()
    {
        QTest::addColumn<double>("exponent");
        QTest::addColumn<int>("keys");
        QTest::addRow("uniform over 50 keys") << 0.0 << 50;
        QTest::addRow("zipf 1.0 over 7 keys (every rank)") << 1.0 << 7;
        QTest::addRow("zipf 0.99 over 30 keys (every rank)") << 0.99 << 30;
        QTest::addRow("zipf 0.5") << 0.5 << 10000;
        QTest::addRow("zipf 0.99") << 0.99 << 10000;
        QTest::addRow("zipf 1.2") << 1.2 << 100000;
    }
    // Chi-square over the 30 most popular ranks plus one bucket for the rest, 200k draws.
    // The threshold is the 0.999 quantile for 30 degrees of freedom (59.7): a correct sampler
    // with this fixed seed stays far below it; a wrong exponent lands far above.
    void empiricalSkewMatchesExponent()
    {
        QFETCH(double, exponent);
        QFETCH(int, keys);
        auto d = RankDistribution::zipf(std::size_t(keys), exponent);
        constexpr int kDraws = 200000;
        const std::size_t buckets = std::min<std::size_t>(30, std::size_t(keys));
        std::vector<double> observed(buckets + 1, 0.0);
        std::mt19937_64 rng(2024);
        for (int i = 0; i < kDraws; ++i)
            observed[std::min(d->sample(rng), buckets)] += 1;
        double chi2 = 0;
        double rest = 1.0;
        for (std::size_t r = 0; r <= buckets; ++r) {
            double p = 0;
            if (r < buckets) {
                p = d->probability(r);
                rest -= p;
            } else {
                p = std::max(rest, 0.0);
            }
            const double expected = p * kDraws;
            if (expected > 0)
                chi2 += (observed[r] - expected) * (observed[r] - expected) / expected;
        }
        QVERIFY2(chi2 < 59.7, qPrintable(QString::number(chi2)));

        // The same draws are a bad fit for a clearly different exponent.
        auto other = RankDistribution::zipf(std::size_t(keys), exponent + 0.2);
        double chi2Other = 0;
        double restOther = 1.0;
        for (std::size_t r = 0; r <= buckets; ++r) {
            const double p = r < buckets ? other->probability(r) : std::max(restOther, 0.0);
            if (r < buckets)
                restOther -= p;
            const double expected = p * kDraws;
            if (expected > 0)
                chi2Other += (observed[r] - expected) * (observed[r] - expected) / expected;
        }
        QVERIFY2(chi2Other > 59.7, qPrintable(QString::number(chi2Other)));
    }

    // Hotspot: the hot ranks get the requested share of requests (within 5 standard deviations
    // of a binomial on a fixed seed), spread evenly over them.
    void hotRanksGetTheirShareOfRequests_data()
    {
        QTest::addColumn<double>("hotKeys");
        QTest::addColumn<double>("hotRequests");
        QTest::addRow("80/20") << 0.2 << 0.8;
        QTest::addRow("99/1") << 0.01 << 0.99;
        QTest::addRow("even") << 0.5 << 0.5;
    }
    void hotRanksGetTheirShareOfRequests()
    {
        QFETCH(double, hotKeys);
        QFETCH(double, hotRequests);
        const std::size_t n = 1000;
        auto space = std::make_shared<const KeySpace>(iota(n), RankDistribution::hotspot(n, hotKeys, hotRequests), 3);
        const std::size_t hot = RankDistribution::hotCount(n, hotKeys);
        std::set<std::int64_t> hotSet;
        for (std::size_t r = 0; r < hot; ++r)
            hotSet.insert(space->keyAtRank(r));
        KeyStream stream(space, 11, 0);
        const int draws = 200000;
        int inHot = 0;
        for (int i = 0; i < draws; ++i)
            inHot += hotSet.count(stream.next()) ? 1 : 0;
        const double sigma = std::sqrt(draws * hotRequests * (1 - hotRequests));
        QVERIFY2(std::abs(inHot - draws * hotRequests) <= 5 * sigma + 1, qPrintable(QString::number(inHot)));
        QCOMPARE(space->distribution().probability(0), hotRequests / double(hot));
    }

    // Shifting: with a period far longer than the test the hot set stays; after a period it has
    // moved on by exactly hotCount ranks.
    void shiftingMovesTheHotSet()
    {
        const std::size_t n = 1000;
        auto shifting = std::make_shared<KeySpace>(iota(n), RankDistribution::hotspot(n, 0.1, 1.0), 5);
        shifting->setShift(RankDistribution::hotCount(n, 0.1), 1'000'000'000'000); // 1000 s
        std::set<std::int64_t> firstHot;
        for (std::size_t r = 0; r < 100; ++r)
            firstHot.insert(shifting->keyAtRank(r));
        const std::int64_t now
            = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
                  .count();
        KeyStream current(shifting, 1, 0, now);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(firstHot.count(current.next()));
        // A phase that started 2.5 periods ago is in its third hot set: ranks 200..299.
        KeyStream later(shifting, 1, 0, now - 2'500'000'000'000);
        std::set<std::int64_t> thirdHot;
        for (std::size_t r = 200; r < 300; ++r)
            thirdHot.insert(shifting->keyAtRank(r));
        for (int i = 0; i < 1000; ++i)
            QVERIFY(thirdHot.count(later.next()));
    }

    // Trace replay: distinct trace keys map one to one onto table keys (while there are enough),
    // the access pattern is kept, and clients start at different offsets.
    void traceKeepsThePattern()
    {
        const std::vector<std::int64_t> trace {900, 7, 900, 42, 7, 7, 1'000'000, 900};
        auto space = std::make_shared<const KeySpace>(iota(50), trace, 9);
        const std::vector<std::int64_t> &mapped = space->trace();
        QCOMPARE(mapped.size(), trace.size());
        for (std::size_t i = 0; i < trace.size(); ++i) {
            for (std::size_t j = 0; j < trace.size(); ++j)
                QCOMPARE(mapped[i] == mapped[j], trace[i] == trace[j]);
            QVERIFY(mapped[i] >= 1 && mapped[i] <= 50);
        }
        KeyStream a(space, 9, 0);
        std::vector<std::int64_t> replay;
        for (std::size_t i = 0; i < 2 * trace.size(); ++i)
            replay.push_back(a.next());
        // A rotation of the mapped trace, twice round.
        bool rotation = false;
        for (std::size_t r = 0; r < trace.size() && !rotation; ++r) {
            rotation = true;
            for (std::size_t i = 0; i < replay.size(); ++i)
                rotation = rotation && replay[i] == mapped[(r + i) % trace.size()];
        }
        QVERIFY(rotation);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, KeySpace(iota(5), std::vector<std::int64_t> {}, 1));
    }

    void badParametersThrow()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RankDistribution::hotspot(10, 0.0, 0.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RankDistribution::hotspot(10, 0.5, 1.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RankDistribution::zipf(0, 1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RankDistribution::zipf(10, -0.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, RankDistribution::zipf(10, std::nan("")));
    }
};

QTEST_GUILESS_MAIN(TestKeyDistribution)
#include "tst_keydistribution.moc"
