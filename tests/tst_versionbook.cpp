// Stale-read bookkeeping: the version a row carries is found wherever its column sits in the
// encoded row and can be replaced in place; the book keeps the latest version of each key across
// threads, and says when a given version was superseded.
#include "core/db/rowcodec.h"
#include "core/workload/versionbook.h"

#include <QTest>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace cachescope;
using namespace Qt::StringLiterals;

namespace {
using Field = RowCodec::Field;
using Commits = std::vector<std::pair<std::int64_t, std::int64_t>>; // version, nanos

// A row holding \a columns (table order), where each column c is: an integer 1000 + c when c % 4
// is 0, a real when 1, a text when 2, NULL when 3.
QByteArray rowOf(const std::vector<int> &columns)
{
    static const char text[] = "some text";
    ColumnSet set;
    std::vector<Field> fields;
    for (const int c : columns) {
        set.insert(c);
        Field f;
        switch (c % 4) {
        case 0:
            f.type = Field::Type::Integer;
            f.integer = 1000 + c;
            break;
        case 1:
            f.type = Field::Type::Real;
            f.real = c + 0.5;
            break;
        case 2:
            f.type = Field::Type::Text;
            f.data = text;
            f.size = sizeof text - 1;
            break;
        default:
            break;
        }
        fields.push_back(f);
    }
    return RowCodec::encodeFields(set, fields.data(), int(fields.size()));
}
} // namespace

class TestVersionBook : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void integerIsFoundWhereverItsColumnSits_data()
    {
        QTest::addColumn<std::vector<int>>("columns");
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("found");
        QTest::addRow("first") << std::vector<int> {0, 1, 2, 3} << 0 << true;
        QTest::addRow("after text, real and NULL") << std::vector<int> {1, 2, 3, 4} << 4 << true;
        QTest::addRow("last of many") << std::vector<int> {0, 1, 2, 3, 5, 6, 7, 9, 10, 24} << 24 << true;
        QTest::addRow("beyond the first header word") << std::vector<int> {1, 2, 63, 64, 70, 72} << 72 << true;
        QTest::addRow("column absent") << std::vector<int> {0, 1, 2} << 4 << false;
        QTest::addRow("a text column") << std::vector<int> {0, 1, 2} << 2 << false;
        QTest::addRow("a NULL column") << std::vector<int> {0, 3} << 3 << false;
        QTest::addRow("beyond the header") << std::vector<int> {0} << 200 << false;
    }
    void integerIsFoundWhereverItsColumnSits()
    {
        QFETCH(std::vector<int>, columns);
        QFETCH(int, column);
        QFETCH(bool, found);
        QByteArray row = rowOf(columns);
        const QVariantList before = RowCodec::decode(row);
        QCOMPARE(RowCodec::integerAt(row, column), found ? std::optional<std::int64_t>(1000 + column) : std::nullopt);
        QCOMPARE(RowCodec::setIntegerAt(row, column, -42), found);
        if (!found) {
            QCOMPARE(RowCodec::decode(row), before);
            return;
        }
        QCOMPARE(RowCodec::integerAt(row, column), std::optional<std::int64_t>(-42));
        // Only that value changed.
        QVariantList expected = before;
        const auto at = std::find(columns.begin(), columns.end(), column) - columns.begin();
        expected[at] = QVariant::fromValue<qint64>(-42);
        QCOMPARE(RowCodec::decode(row), expected);
    }

    void malformedRowsHoldNoVersion_data()
    {
        QTest::addColumn<QByteArray>("row");
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("header cut short") << rowOf({0, 4}).left(5);
        QTest::addRow("value cut short") << rowOf({2, 4}).chopped(3);
    }
    void malformedRowsHoldNoVersion()
    {
        QFETCH(QByteArray, row);
        QCOMPARE(RowCodec::integerAt(row, 4), std::nullopt);
        QVERIFY(!RowCodec::setIntegerAt(row, 4, 1));
    }

    // The latest version is the highest committed, whatever order the writers report in; the
    // time a version was superseded is the commit of the next one the book holds.
    void latestIsTheHighestAndSupersededAtTheNextCommit_data()
    {
        QTest::addColumn<Commits>("commits");
        QTest::addColumn<std::int64_t>("latest");
        QTest::addColumn<std::int64_t>("read");
        QTest::addColumn<std::int64_t>("superseded");
        using C = Commits;
        QTest::addRow("never written") << C {} << std::int64_t(0) << std::int64_t(1) << std::int64_t(0);
        QTest::addRow("one write, read before it")
            << C {{2, 100}} << std::int64_t(2) << std::int64_t(1) << std::int64_t(100);
        QTest::addRow("current") << C {{2, 100}} << std::int64_t(2) << std::int64_t(2) << std::int64_t(0);
        QTest::addRow("two writes, one missed")
            << C {{2, 100}, {3, 200}} << std::int64_t(3) << std::int64_t(2) << std::int64_t(200);
        QTest::addRow("two writes, both missed")
            << C {{2, 100}, {3, 200}} << std::int64_t(3) << std::int64_t(1) << std::int64_t(100);
        QTest::addRow("reported out of order")
            << C {{3, 200}, {2, 100}} << std::int64_t(3) << std::int64_t(1) << std::int64_t(100);
        QTest::addRow("older than the book keeps: a lower bound")
            << C {{2, 100}, {3, 200}, {4, 300}} << std::int64_t(4) << std::int64_t(1) << std::int64_t(200);
        QTest::addRow("a report repeated")
            << C {{2, 100}, {2, 150}} << std::int64_t(2) << std::int64_t(1) << std::int64_t(100);
    }
    void latestIsTheHighestAndSupersededAtTheNextCommit()
    {
        QFETCH(Commits, commits);
        QFETCH(std::int64_t, latest);
        QFETCH(std::int64_t, read);
        QFETCH(std::int64_t, superseded);
        VersionBook book({5, 7, -3});
        for (const auto &[version, nanos] : commits)
            book.committed(7, version, nanos);
        QCOMPARE(book.latest(7), latest);
        QCOMPARE(book.supersededAt(7, read), superseded);
        QCOMPARE(book.latest(5), 0); // other keys untouched
        QCOMPARE(book.latest(-3), 0);
        // A key the book does not hold is never written nor stale.
        book.committed(8, 9, 1);
        QCOMPARE(book.latest(8), 0);
        QCOMPARE(book.supersededAt(8, 1), 0);
    }

    void everyKeyIsHeldOnce_data()
    {
        QTest::addColumn<int>("keys");
        QTest::addRow("none") << 0;
        QTest::addRow("one") << 1;
        QTest::addRow("many") << 100000;
    }
    void everyKeyIsHeldOnce()
    {
        QFETCH(int, keys);
        std::vector<std::int64_t> list;
        for (int i = 0; i < keys; ++i)
            list.push_back(std::int64_t(i) * 7919 - 50000);
        list.insert(list.end(), list.begin(), list.begin() + std::min(keys, 10)); // a trace maps keys twice
        VersionBook book(list);
        QCOMPARE(book.size(), std::size_t(keys));
        for (int i = 0; i < keys; ++i)
            book.committed(list[std::size_t(i)], i + 1, i);
        for (int i = 0; i < keys; ++i)
            QCOMPARE(book.latest(list[std::size_t(i)]), std::int64_t(i + 1));
    }

    // Writers on several threads reporting the versions of the same keys: the latest is the
    // highest of each key, readers on other threads never see it go down.
    void concurrentWritersKeepTheHighest()
    {
        constexpr int kKeys = 64;
        constexpr int kWriters = 4;
        constexpr int kVersions = 2000;
        std::vector<std::int64_t> keys;
        for (int k = 0; k < kKeys; ++k)
            keys.push_back(k);
        VersionBook book(keys);
        std::atomic<bool> done {false};
        std::atomic<int> wentDown {0};
        std::thread reader([&] {
            std::vector<std::int64_t> seen(kKeys, 0);
            while (!done.load()) {
                for (int k = 0; k < kKeys; ++k) {
                    const std::int64_t v = book.latest(k);
                    if (v < seen[std::size_t(k)])
                        wentDown.fetch_add(1);
                    seen[std::size_t(k)] = v;
                }
            }
        });
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([&book, w] {
                // Each writer reports every kWriters-th version, so reports of one key interleave.
                for (int v = w + 1; v <= kVersions; v += kWriters) {
                    for (int k = 0; k < kKeys; ++k)
                        book.committed(k, v, v);
                }
            });
        }
        for (std::thread &t : writers)
            t.join();
        done.store(true);
        reader.join();
        QCOMPARE(wentDown.load(), 0);
        for (int k = 0; k < kKeys; ++k) {
            QCOMPARE(book.latest(k), std::int64_t(kVersions));
            QCOMPARE(book.supersededAt(k, kVersions - 1), std::int64_t(kVersions));
        }
    }
};

QTEST_GUILESS_MAIN(TestVersionBook)
#include "tst_versionbook.moc"
