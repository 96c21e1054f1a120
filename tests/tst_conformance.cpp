// Conformance on every checkout: seeded synthetic traces in tests/data/traces (skewed, looping,
// scanning, shifting; generate.py made them) with reference miss counts in reference.tsv,
// computed by the simple simulators of referencepolicies.h and Belady's optimum. The simulators
// must still give those counts, and `simulate`'s replay (one shard) must give them exactly for
// every policy, never fewer misses than the optimum. The long real traces of ../shared/traces
// stay an extra (tst_traceconformance, when present).
#include "core/cache/tracereplay.h"
#include "referencepolicies.h"

#include <QFile>
#include <QTest>

#include <map>
#include <tuple>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
const QString kDir = QStringLiteral(CACHESCOPE_SOURCE_DIR "/tests/data/traces");
const QStringList kPolicies {u"lru"_s, u"fifo"_s, u"sieve"_s, u"s3fifo"_s, u"wtinylfu"_s};

struct Row {
    QString trace;
    std::size_t capacity = 0;
    std::map<QString, std::uint64_t> misses; // by policy, and "belady"
};

std::vector<Row> readReference()
{
    QFile file(kDir + u"/reference.tsv"_s);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    std::vector<Row> rows;
    QStringList columns;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QStringList fields = line.split(u'\t');
        if (columns.isEmpty()) {
            columns = fields;
            continue;
        }
        Row row {fields.value(0), fields.value(1).toULongLong(), {}};
        for (qsizetype i = 2; i < fields.size() && i < columns.size(); ++i)
            row.misses[columns[i]] = fields[i].toULongLong();
        rows.push_back(row);
    }
    return rows;
}

std::uint64_t simulate(const std::vector<std::int64_t> &keys, const QString &policy, std::size_t capacity)
{
    if (policy == u"belady"_s)
        return reference::beladyMisses(keys, capacity);
    auto sim = reference::make(policy, capacity);
    std::vector<std::int64_t> evicted;
    std::uint64_t misses = 0;
    for (std::int64_t k : keys)
        misses += sim->access(k, evicted) ? 0 : 1;
    return misses;
}
} // namespace

class TestConformance : public QObject {
    Q_OBJECT
private:
    std::map<QString, std::vector<std::int64_t>> m_traces;
    std::map<std::tuple<QString, QString, std::size_t>, std::uint64_t> m_simulated;

    const std::vector<std::int64_t> &trace(const QString &name)
    {
        if (!m_traces.contains(name))
            m_traces[name] = TraceReplay::read(kDir + u'/' + name + u".keys"_s, TraceReplay::Format::Keys).keys;
        return m_traces[name];
    }
    // The reference simulator's misses (each computed once: Belady's serves five rows).
    std::uint64_t referenceMisses(const QString &name, const QString &policy, std::size_t capacity)
    {
        const auto key = std::make_tuple(name, policy, capacity);
        if (!m_simulated.contains(key))
            m_simulated[key] = simulate(trace(name), policy, capacity);
        return m_simulated[key];
    }

private Q_SLOTS:
    void referenceTableIsComplete()
    {
        const std::vector<Row> rows = readReference();
        QCOMPARE(rows.size(), 12u); // 4 traces × 3 capacities
        for (const Row &row : rows) {
            QCOMPARE(trace(row.trace).size(), 20000u);
            for (const QString &policy : kPolicies + QStringList {u"belady"_s})
                QVERIFY2(row.misses.contains(policy), qPrintable(row.trace + u' ' + policy));
        }
    }

    void policiesMatchTheReference_data()
    {
        QTest::addColumn<QString>("trace");
        QTest::addColumn<QString>("policy");
        QTest::addColumn<qulonglong>("capacity");
        QTest::addColumn<qulonglong>("misses");
        QTest::addColumn<qulonglong>("optimum");
        for (const Row &row : readReference()) {
            for (const QString &policy : kPolicies) {
                QTest::addRow("%s C=%zu %s", qPrintable(row.trace), row.capacity, qPrintable(policy))
                    << row.trace << policy << qulonglong(row.capacity) << qulonglong(row.misses.at(policy))
                    << qulonglong(row.misses.at(u"belady"_s));
            }
        }
    }
    void policiesMatchTheReference()
    {
        QFETCH(QString, trace);
        QFETCH(QString, policy);
        QFETCH(qulonglong, capacity);
        QFETCH(qulonglong, misses);
        QFETCH(qulonglong, optimum);
        const std::vector<std::int64_t> &keys = this->trace(trace);
        QCOMPARE(referenceMisses(trace, policy, capacity), std::uint64_t(misses));
        QCOMPARE(referenceMisses(trace, u"belady"_s, capacity), std::uint64_t(optimum));
        const TraceReplay::Result r = TraceReplay::replay(keys, policy, capacity);
        QCOMPARE(r.requests, std::uint64_t(keys.size()));
        QCOMPARE(r.requests - r.hits, std::uint64_t(misses));
        QVERIFY(misses >= optimum);
        // The streaming replay of `simulate` decides the same.
        TraceReplay::MultiReplay multi({policy}, {std::size_t(capacity)});
        for (std::int64_t k : keys)
            multi.access(k);
        QCOMPARE(multi.results().front().hits, r.hits);
    }
};

QTEST_GUILESS_MAIN(TestConformance)
#include "tst_conformance.moc"
