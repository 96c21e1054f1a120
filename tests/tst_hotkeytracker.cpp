// HotKeyTracker: finds the hot keys of skewed streams in bounded memory, ages, merges, suggests N.
#include "core/warmup/hotkeytracker.h"
#include "core/workload/keydistribution.h"

#include <QTest>

#include <algorithm>
#include <random>
#include <unordered_set>

using namespace cachescope;

class TestHotKeyTracker : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The top 1 % of a Zipf stream's keys (ranks 0 … n/100 − 1, shuffled onto keys) are found:
    // recall ≥ 95 % with counters for 10 × as many keys, sampled or not (as good as exact counts
    // of the same stream: 0.96–0.99 here; with 4 × it drops to 0.56–0.96).
    void findsTheHotKeysOfZipf_data()
    {
        QTest::addColumn<double>("exponent");
        QTest::addColumn<int>("sampleEvery");
        QTest::addColumn<int>("requests");
        QTest::addRow("zipf 0.99, every read") << 0.99 << 1 << 2'000'000;
        QTest::addRow("zipf 0.99, every 4th read") << 0.99 << 4 << 4'000'000;
        QTest::addRow("zipf 0.8, every read") << 0.8 << 1 << 2'000'000;
        QTest::addRow("zipf 1.2, every read") << 1.2 << 1 << 2'000'000;
    }
    void findsTheHotKeysOfZipf()
    {
        QFETCH(double, exponent);
        QFETCH(int, sampleEvery);
        QFETCH(int, requests);
        const std::size_t n = 100'000, top = n / 100;
        std::vector<std::int64_t> keys(n);
        for (std::size_t i = 0; i < n; ++i)
            keys[i] = std::int64_t(i) * 7 + 3;
        auto space = std::make_shared<const KeySpace>(keys, RankDistribution::zipf(n, exponent), 5);
        KeyStream stream(space, 5, 0);
        HotKeyTracker tracker(10 * top, 0, unsigned(sampleEvery));
        for (int i = 0; i < requests; ++i)
            tracker.record(stream.next());
        QVERIFY(tracker.size() <= 10 * top);
        std::unordered_set<std::int64_t> truth;
        for (std::size_t rank = 0; rank < top; ++rank)
            truth.insert(space->keyAtRank(rank));
        std::size_t found = 0;
        for (const HotKey &k : tracker.top(top))
            found += truth.count(k.key);
        const double recall = double(found) / double(top);
        QVERIFY2(recall >= 0.95, qPrintable(QString::number(recall)));
    }

    // Memory stays bounded whatever the stream: a million distinct keys leave capacity counters.
    void memoryIsBounded()
    {
        HotKeyTracker tracker(1000);
        for (std::int64_t k = 0; k < 1'000'000; ++k)
            tracker.record(k);
        QCOMPARE(tracker.size(), std::size_t(1000));
        QCOMPARE(tracker.observed(), std::uint64_t(1'000'000));
        QVERIFY(tracker.memoryBound() < 200'000);
    }

    // Counts are exact while every key fits; the error bound holds after evictions.
    void countsAndErrorBounds_data()
    {
        QTest::addColumn<int>("capacity");
        QTest::addRow("all keys fit") << 100;
        QTest::addRow("half the keys fit") << 25;
    }
    void countsAndErrorBounds()
    {
        QFETCH(int, capacity);
        std::mt19937_64 rng(9);
        std::vector<std::uint64_t> truth(50, 0);
        HotKeyTracker tracker(std::size_t(capacity), 0, 1);
        for (int i = 0; i < 20000; ++i) {
            // key k with weight ∝ 1/(k+1)
            std::int64_t k = std::int64_t(std::min<double>(
                49, std::floor(std::exp(std::uniform_real_distribution<>(0, std::log(50.0))(rng)) - 1)));
            ++truth[std::size_t(k)];
            tracker.record(k);
        }
        for (const HotKey &k : tracker.top(std::size_t(capacity))) {
            const std::uint64_t t = truth[std::size_t(k.key)];
            QVERIFY(k.count >= t);
            QVERIFY(k.count - k.error <= t);
            if (capacity >= 50)
                QCOMPARE(k.count, t);
        }
    }

    // Aging: keys that were hot long ago fade, the new hot keys take the top.
    void agingLetsOldHotKeysFade()
    {
        HotKeyTracker tracker(64, 2000, 1);
        for (int i = 0; i < 20000; ++i)
            tracker.record(i % 10); // keys 0..9 hot
        for (int i = 0; i < 20000; ++i)
            tracker.record(100 + i % 10); // then 100..109
        for (const HotKey &k : tracker.top(10))
            QVERIFY2(k.key >= 100, qPrintable(QString::number(k.key)));
        // Without aging the old keys keep their counts and tie with the new ones.
        HotKeyTracker forever(64, 0, 1);
        for (int i = 0; i < 20000; ++i)
            forever.record(i % 10);
        for (int i = 0; i < 20000; ++i)
            forever.record(100 + i % 10);
        const std::vector<HotKey> top = forever.top(20);
        QCOMPARE(top.front().count, top.back().count);
    }

    // Two trackers merged rank as one tracker fed both streams (while every key fits).
    void mergeEqualsOneTracker()
    {
        HotKeyTracker a(100), b(100), both(100);
        std::mt19937_64 rng(3);
        for (int i = 0; i < 5000; ++i) {
            const std::int64_t k = std::int64_t(rng() % 60);
            (i % 3 ? a : b).record(k);
            both.record(k);
        }
        a.merge(b);
        QCOMPARE(a.observed(), both.observed());
        QCOMPARE(a.top(60), both.top(60));
    }

    // The suggested N is the smallest prefix covering the share of accesses.
    void suggestionIsTheSmallestPrefixCoveringTheShare_data()
    {
        QTest::addColumn<double>("coverage");
        QTest::addColumn<int>("expected");
        QTest::addRow("half") << 0.5 << 1; // 50 of 100
        QTest::addRow("80 percent") << 0.8 << 2; // 50 + 30
        QTest::addRow("90 percent") << 0.9 << 3; // + 10
        QTest::addRow("all") << 1.0 << 4; // more than the keys tracked reach: all of them
    }
    void suggestionIsTheSmallestPrefixCoveringTheShare()
    {
        QFETCH(double, coverage);
        QFETCH(int, expected);
        const std::vector<HotKey> hot {{1, 50, 0}, {2, 30, 0}, {3, 10, 0}, {4, 5, 0}};
        QCOMPARE(HotKeyTracker::keysCovering(hot, 100, coverage), std::size_t(expected));
        QCOMPARE(HotKeyTracker::keysCovering({}, 100, coverage), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestHotKeyTracker)
#include "tst_hotkeytracker.moc"
