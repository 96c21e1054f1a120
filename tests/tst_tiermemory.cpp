// A tier's memory follows what it holds, not the capacity it was given: a tier of a billion
// entries that holds a few thousand keys costs what a few thousand keys cost, for every policy
// (W-TinyLFU's frequency sketch used to be sized for the capacity up front: 16.8 GB here).
#include "core/cache/cachetier.h"
#include "core/cache/evictionpolicy.h"

#include <QFile>
#include <QTest>

#include <unistd.h>

using namespace cachescope;
using namespace std::chrono_literals;

namespace {
// Resident set size of this process, from /proc/self/statm.
qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * ::sysconf(_SC_PAGESIZE) : -1;
}
} // namespace

class TestTierMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void memoryFollowsResidentEntries_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<int>("shards");
        for (const QString &policy : EvictionPolicy::names()) {
            QTest::addRow("%s, 1 shard", qPrintable(policy)) << policy << 1;
            QTest::addRow("%s, 8 shards", qPrintable(policy)) << policy << 8;
        }
    }
    void memoryFollowsResidentEntries()
    {
        QFETCH(QString, policy);
        QFETCH(int, shards);
        const qint64 before = residentBytes();
        QVERIFY(before > 0);
        {
            CacheTier tier({1'000'000'000, 0ns, unsigned(shards), policy});
            const QByteArray value(100, 'v');
            for (std::int64_t key = 0; key < 5000; ++key) {
                tier.put(key, value);
                QVERIFY(tier.get(key));
            }
            QCOMPARE(tier.size(), std::size_t(5000));
            // 5,000 entries of ~100 bytes: well under 32 MiB with every index and sketch counted.
            const qint64 grown = residentBytes() - before;
            QVERIFY2(grown < (qint64(32) << 20),
                qPrintable(QStringLiteral("resident memory grew by %1 MiB").arg(grown >> 20)));
        }
    }

    // The sketch grows as the tier fills and stops at the capacity's size: a tier that fills up
    // decides as it always did (the hot keys, read again and again, survive a scan of cold ones).
    void filledTierKeepsItsHotKeys_data()
    {
        QTest::addColumn<std::size_t>("capacity");
        QTest::addRow("smaller than the first sketch") << std::size_t(500);
        QTest::addRow("grown through several doublings") << std::size_t(20000);
    }
    void filledTierKeepsItsHotKeys()
    {
        QFETCH(std::size_t, capacity);
        CacheTier tier({capacity, 0ns, 1, QStringLiteral("wtinylfu")});
        const auto hot = std::int64_t(capacity / 10);
        for (int round = 0; round < 20; ++round) {
            for (std::int64_t key = 0; key < hot; ++key) {
                if (!tier.get(key))
                    tier.put(key, QByteArray("h"));
            }
        }
        // A scan of cold keys, three times the capacity, each read once.
        for (std::int64_t key = 1'000'000; key < 1'000'000 + 3 * std::int64_t(capacity); ++key) {
            if (!tier.get(key))
                tier.put(key, QByteArray("c"));
        }
        std::int64_t kept = 0;
        for (std::int64_t key = 0; key < hot; ++key)
            kept += tier.get(key) ? 1 : 0;
        QVERIFY2(kept >= hot * 9 / 10, qPrintable(QStringLiteral("%1 of %2 hot keys kept").arg(kept).arg(hot)));
    }
};

QTEST_GUILESS_MAIN(TestTierMemory)
#include "tst_tiermemory.moc"
