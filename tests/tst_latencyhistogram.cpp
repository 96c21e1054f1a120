// The latency histogram: percentiles within 3 significant digits of the exact ones, never
// above the maximum, merge equals recording everything in one, and the lock-free recorder
// agrees with the plain histogram.
#include "core/metrics/latencyhistogram.h"

#include <QTest>

#include <atomic>
#include <cstdlib>
#include <new>

#include <algorithm>
#include <cmath>
#include <random>

using namespace cachescope;

// Every allocation of the test process is counted, to check that recording allocates nothing.
static std::atomic<std::uint64_t> g_allocations {0};
void *operator new(std::size_t size)
{
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void *p) noexcept
{
    std::free(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}

namespace {
std::vector<std::int64_t> samples(const QString &shape, int n)
{
    std::mt19937_64 rng(99);
    std::vector<std::int64_t> values(std::size_t(n), 0);
    for (auto &v : values) {
        if (shape == QStringLiteral("uniform"))
            v = std::uniform_int_distribution<std::int64_t>(1, 1'000'000)(rng);
        else if (shape == QStringLiteral("exponential"))
            v = std::int64_t(std::exponential_distribution<double>(1.0 / 20000.0)(rng));
        else if (shape == QStringLiteral("lognormal"))
            v = std::int64_t(std::lognormal_distribution<double>(9.0, 2.0)(rng));
        else
            v = 12345;
    }
    return values;
}
} // namespace

class TestLatencyHistogram : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void percentilesWithinPrecision_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addRow("uniform 1 ns .. 1 ms") << QStringLiteral("uniform");
        QTest::addRow("exponential, mean 20 µs") << QStringLiteral("exponential");
        QTest::addRow("lognormal, long tail") << QStringLiteral("lognormal");
        QTest::addRow("constant") << QStringLiteral("constant");
    }
    void percentilesWithinPrecision()
    {
        QFETCH(QString, shape);
        std::vector<std::int64_t> values = samples(shape, 100000);
        LatencyHistogram h;
        for (auto v : values)
            h.record(v);
        std::sort(values.begin(), values.end());
        for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
            const auto rank = std::max<std::size_t>(1, std::size_t(std::ceil(p / 100.0 * double(values.size()))));
            const std::int64_t exact = values[rank - 1];
            const std::int64_t got = h.valueAtPercentile(p);
            // 3 significant digits: within 1/1000 of the exact value (or 1 ns for tiny ones).
            QVERIFY2(std::abs(double(got - exact)) <= std::max(1.0, double(exact) / 1000.0),
                qPrintable(QStringLiteral("p%1: got %2, exact %3").arg(p).arg(got).arg(exact)));
            QVERIFY(got <= h.max());
        }
        QCOMPARE(h.max(), values.back());
        QCOMPARE(h.min(), values.front());
        QCOMPARE(h.count(), std::uint64_t(values.size()));
    }

    void mergeEqualsRecordingAll()
    {
        const auto values = samples(QStringLiteral("lognormal"), 30000);
        LatencyHistogram all, a, b;
        for (std::size_t i = 0; i < values.size(); ++i) {
            all.record(values[i]);
            (i % 3 ? a : b).record(values[i]);
        }
        a.merge(b);
        QVERIFY(a == all);
    }

    void recorderAgreesWithHistogram()
    {
        const auto values = samples(QStringLiteral("exponential"), 20000);
        LatencyHistogram plain;
        LatencyRecorder recorder;
        for (auto v : values) {
            plain.record(v);
            recorder.record(v);
        }
        QVERIFY(recorder.snapshot() == plain);
    }

    // The delta of two cumulative snapshots holds exactly the values recorded in between.
    void deltaHoldsTheInterval()
    {
        LatencyRecorder recorder;
        for (int i = 0; i < 1000; ++i)
            recorder.record(1000);
        const LatencyHistogram first = recorder.snapshot();
        for (int i = 0; i < 100; ++i)
            recorder.record(50000);
        const LatencyHistogram delta = recorder.snapshot().deltaSince(first);
        QCOMPARE(delta.count(), 100u);
        QVERIFY(std::abs(delta.valueAtPercentile(50) - 50000) <= 50);
        QVERIFY(std::abs(delta.mean() - 50000.0) < 1e-6);
    }

    // The hot path never allocates: a million records through the recorder, no operator new.
    void noAllocationWhileRecording()
    {
        LatencyRecorder recorder;
        recorder.record(1); // anything lazy happens here, before counting
        const std::uint64_t before = g_allocations.load();
        for (std::int64_t i = 0; i < 1'000'000; ++i)
            recorder.record((i * 7919) % 5'000'000'000LL);
        QCOMPARE(g_allocations.load(), before);
        QCOMPARE(recorder.snapshot().count(), 1'000'001u);
    }

    // What results keep is packed: a copy, a snapshot and a delta hold the same counts in a few
    // bytes per non-empty bucket, and answer as the histogram they came from.
    void copiesArePackedAndAnswerTheSame_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addRow("lognormal") << QStringLiteral("lognormal");
        QTest::addRow("uniform") << QStringLiteral("uniform");
        QTest::addRow("constant") << QStringLiteral("constant");
    }
    void copiesArePackedAndAnswerTheSame()
    {
        QFETCH(QString, shape);
        const auto values = samples(shape, 200000);
        LatencyHistogram working;
        LatencyRecorder recorder;
        for (auto v : values) {
            working.record(v);
            recorder.record(v);
        }
        const std::size_t full = std::size_t(detail::HistogramLayout::kCountsLength) * sizeof(std::uint64_t);
        QCOMPARE(working.countBytes(), full); // recording: every bucket
        const LatencyHistogram copy = working;
        const LatencyHistogram snapshot = recorder.snapshot();
        const LatencyHistogram delta = snapshot.deltaSince(LatencyHistogram());
        for (const LatencyHistogram *h : {&copy, &snapshot, &delta}) {
            QVERIFY2(h->countBytes() < full / 8, qPrintable(QString::number(h->countBytes())));
            // A delta knows min and max only to its buckets' bounds; the rest is the same.
            QVERIFY(h == &delta ? h->count() == working.count() : *h == working);
            for (double p : {0.1, 50.0, 99.0, 99.9, 100.0})
                QCOMPARE(h->valueAtPercentile(p), working.valueAtPercentile(p));
        }
        // Merging into a packed one unpacks it; packing again keeps the counts.
        LatencyHistogram grown = copy;
        grown.merge(snapshot);
        QCOMPARE(grown.count(), 2 * working.count());
        LatencyHistogram twice = working;
        twice.merge(working);
        QVERIFY(grown == twice);
        grown.pack();
        QVERIFY(grown.countBytes() < full / 8);
        QVERIFY(grown == twice);
    }

    // The bytes a saved result keeps decode to the same histogram (packed or recording), and no
    // damaged form decodes: every truncation, a wrong version, a count that does not add up.
    void encodingRoundTripsAndRefusesDamage_data()
    {
        QTest::addColumn<QString>("shape");
        QTest::addRow("lognormal") << QStringLiteral("lognormal");
        QTest::addRow("constant") << QStringLiteral("constant");
        QTest::addRow("empty") << QStringLiteral("empty");
    }
    void encodingRoundTripsAndRefusesDamage()
    {
        QFETCH(QString, shape);
        LatencyHistogram h;
        if (shape != QStringLiteral("empty")) {
            for (auto v : samples(shape, 20000))
                h.record(v);
            h.record(std::int64_t(5) * 3'600'000'000'000); // saturated
        }
        const std::vector<std::uint8_t> bytes = h.encode(); // from the recording (dense) form
        const std::optional<LatencyHistogram> back = LatencyHistogram::decode(bytes);
        QVERIFY(back);
        QVERIFY(*back == h);
        QCOMPARE(back->saturated(), h.saturated());
        QCOMPARE(back->valueAtPercentile(99.9), h.valueAtPercentile(99.9));
        QVERIFY(LatencyHistogram(h).encode() == bytes); // packed gives the same bytes
        QVERIFY(!LatencyHistogram::decode({bytes.begin(), bytes.end() - 1})); // the last byte cut
        // Every cut within the header and the first buckets, then one in 97 (each decode walks the
        // whole input: all of them would take a minute under the sanitizers).
        for (std::size_t n = 0; n < bytes.size(); n += n < 64 ? 1 : 97) {
            const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + std::ptrdiff_t(n));
            QVERIFY2(!LatencyHistogram::decode(cut), qPrintable(QString::number(n)));
        }
        std::vector<std::uint8_t> version = bytes;
        version[0] = 2;
        QVERIFY(!LatencyHistogram::decode(version));
        if (h.count() > 0) {
            std::vector<std::uint8_t> extra = bytes; // one more bucket than the total holds
            extra.push_back(0);
            extra.push_back(1);
            QVERIFY(!LatencyHistogram::decode(extra));
        }
    }

    void valuesOutOfRangeAreClamped()
    {
        LatencyHistogram h;
        h.record(-5);
        h.record(std::int64_t(5) * 3'600'000'000'000);
        QCOMPARE(h.count(), 2u);
        QCOMPARE(h.saturated(), 1u);
        QCOMPARE(h.min(), 0);
        QCOMPARE(h.max(), detail::HistogramLayout::kHighestTrackable);
        QCOMPARE(LatencyHistogram().valueAtPercentile(99), 0);
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
