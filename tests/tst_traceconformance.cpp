// Conformance of every eviction policy on real traces (../shared/traces, see its README):
// LRU, FIFO and SIEVE reproduce the reference miss counts exactly; S3-FIFO is within 1.5
// percentage points of the reference hit ratio; W-TinyLFU at most 2 points below it; no policy
// ever beats Belady's optimum. The traces are read from CACHESCOPE_TRACES.
#include "core/cache/tracereplay.h"

#include <QFile>
#include <QTest>

#include <map>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
struct Reference {
    const char *trace;
    std::uint64_t requests;
    std::size_t capacity;
    // misses: lru, fifo, sieve, s3fifo, wtinylfu, belady
    std::uint64_t lru, fifo, sieve, s3fifo, wtinylfu, belady;
};

// From ../shared/traces/README.md (libCacheSim cachesim, capacities in objects).
constexpr Reference kReferences[] = {
    {"cache2k_web12", 95607, 138, 57564, 59552, 57032, 56348, 60043, 39637},
    {"cache2k_web12", 95607, 688, 38224, 41811, 34845, 33623, 35784, 24209},
    {"cache2k_web12", 95607, 1376, 30124, 33899, 27072, 26520, 28201, 19085},
    {"lirs_sprite", 133996, 71, 111894, 111002, 109109, 105190, 133996, 77067},
    {"lirs_sprite", 133996, 354, 45909, 51075, 53880, 43852, 45878, 23646},
    {"lirs_sprite", 133996, 708, 18071, 24182, 24215, 18552, 25894, 11561},
    {"lirs_multi2", 26311, 57, 25384, 25482, 24529, 23481, 26311, 18956},
    {"lirs_multi2", 26311, 284, 19235, 21245, 18893, 17050, 15844, 13511},
    {"lirs_multi2", 26311, 568, 16596, 18473, 16796, 13339, 13029, 11867},
    {"cloudphysics_sample", 113872, 490, 95415, 96515, 94415, 94555, 96462, 90255},
    {"cloudphysics_sample", 113872, 2449, 93897, 94122, 93052, 91383, 93846, 80074},
    {"cloudphysics_sample", 113872, 4897, 91657, 91716, 90040, 85691, 88374, 71620},
};

QString tracesDir()
{
    return qEnvironmentVariable("CACHESCOPE_TRACES");
}
} // namespace

class TestTraceConformance : public QObject {
    Q_OBJECT
private:
    std::map<QString, std::vector<std::int64_t>> m_traces;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!tracesDir().isEmpty() && QFile::exists(tracesDir() + u"/cache2k_web12.keys"_s),
            "CACHESCOPE_TRACES must name the shared traces folder");
        for (const Reference &r : kReferences) {
            const QString name = QString::fromLatin1(r.trace);
            if (m_traces.contains(name))
                continue;
            const KeyTrace trace = TraceReplay::read(tracesDir() + u'/' + name + u".keys"_s, TraceReplay::Format::Keys);
            QCOMPARE(trace.badLines, 0u);
            QCOMPARE(trace.keys.size(), std::size_t(r.requests));
            m_traces[name] = trace.keys;
        }
    }

    void policyMatchesReference_data()
    {
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<qulonglong>("capacity");
        QTest::addColumn<qulonglong>("referenceMisses");
        QTest::addColumn<qulonglong>("beladyMisses");
        for (const Reference &r : kReferences) {
            const std::pair<const char *, std::uint64_t> rows[] = {
                {"lru", r.lru}, {"fifo", r.fifo}, {"sieve", r.sieve}, {"s3fifo", r.s3fifo}, {"wtinylfu", r.wtinylfu}};
            for (const auto &[policy, misses] : rows) {
                QTest::addRow("%s C=%zu %s", r.trace, r.capacity, policy)
                    << QString::fromLatin1(r.trace) << QString::fromLatin1(policy) << qulonglong(r.capacity)
                    << qulonglong(misses) << qulonglong(r.belady);
            }
        }
    }
    void policyMatchesReference()
    {
        QFETCH(QString, trace);
        QFETCH(QString, policy);
        QFETCH(qulonglong, capacity);
        QFETCH(qulonglong, referenceMisses);
        QFETCH(qulonglong, beladyMisses);
        const std::vector<std::int64_t> &keys = m_traces.at(trace);
        const TraceReplay::Result r = TraceReplay::replay(keys, policy, std::size_t(capacity));
        const std::uint64_t misses = r.requests - r.hits;
        const double reference = 1.0 - double(referenceMisses) / double(r.requests);
        const QByteArray detail = QStringLiteral("hit ratio %1 (misses %2), reference %3 (misses %4)")
                                      .arg(r.hitRatio(), 0, 'f', 4)
                                      .arg(misses)
                                      .arg(reference, 0, 'f', 4)
                                      .arg(referenceMisses)
                                      .toUtf8();
        QVERIFY2(misses >= beladyMisses, detail.constData());
        if (policy == u"lru"_s || policy == u"fifo"_s || policy == u"sieve"_s)
            QVERIFY2(misses == referenceMisses, detail.constData());
        else if (policy == u"s3fifo"_s)
            QVERIFY2(std::abs(r.hitRatio() - reference) <= 0.015, detail.constData());
        else
            QVERIFY2(r.hitRatio() >= reference - 0.02, detail.constData());
    }
};

QTEST_GUILESS_MAIN(TestTraceConformance)
#include "tst_traceconformance.moc"
