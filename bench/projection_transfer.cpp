// What a projection saves: the same keys read with a few fields and with full rows from the demo
// table, on one thread, alternating rounds so both see the same machine. Prints bytes per
// request (exact), requests per second (median of rounds), cache bytes per entry, and the
// ratios — all measured in this run.
//
//   build/release/bench/projection_transfer [--db FILE] [--rows N] [--fields LIST]
//                                           [--requests N] [--rounds N] [--zipf S]
#include "bench/benchcommon.h"
#include "core/cache/cachetier.h"
#include "core/db/demodatabase.h"
#include "core/db/rowcodec.h"
#include "core/load/datasource.h"
#include "core/load/transfer.h"
#include "core/workload/keydistribution.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

using namespace cachescope;
using namespace Qt::StringLiterals;
using cachescope::bench::median;

namespace {
/// Reads every key with \a projection; returns requests per second.
double readAll(DataSourceConnection &connection, const Projection &projection, const std::vector<std::int64_t> &keys)
{
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t key : keys)
        connection.readRow(key, projection);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return seconds > 0 ? double(keys.size()) / seconds : 0.0;
}

/// ns per row of three reals: (a) asking SQLite for each value's text length
/// (sqlite3_column_bytes converts the value to text), (b) RowCodec::encode, which counts the same
/// length itself.
void numberAccountingCost()
{
    Database db(u":memory:"_s, Database::OpenMode::Create);
    Statement stmt = db.prepare(u"SELECT ?1, ?2, ?3"_s);
    constexpr int kRows = 300000;
    const ColumnSet three = ColumnSet::firstN(3);
    double nanos[2] = {0, 0};
    std::uint64_t sink = 0;
    for (int variant = 0; variant < 2; ++variant) {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < kRows; ++i) {
            stmt.bind(1, 12.34 + i * 0.01);
            stmt.bind(2, 4.5);
            stmt.bind(3, 999.99 + i);
            stmt.step();
            if (variant == 0) {
                for (int c = 0; c < 3; ++c) {
                    sink += std::uint64_t(sqlite3_column_double(stmt.handle(), c));
                    sink += std::uint64_t(sqlite3_column_bytes(stmt.handle(), c));
                }
            } else {
                std::uint64_t bytes = 0;
                sink += std::uint64_t(RowCodec::encode(stmt.handle(), three, bytes).size()) + bytes;
            }
            stmt.reset();
        }
        nanos[variant]
            = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / kRows;
    }
    std::printf("row of 3 reals, bind+step+count: sqlite3_column_bytes %.0f ns, RowCodec::encode %.0f ns (%llu)\n",
        nanos[0], nanos[1], static_cast<unsigned long long>(sink % 10));
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Projection against full rows on the demo table"_s);
    parser.addHelpOption();
    const QCommandLineOption dbOption(u"db"_s, u"Database (default: a new demo database)."_s, u"file"_s);
    const QCommandLineOption rowsOption(u"rows"_s, u"Rows of the new demo database."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption fieldsOption(u"fields"_s, u"The projection."_s, u"list"_s, u"name,price,stock"_s);
    const QCommandLineOption requestsOption(u"requests"_s, u"Reads per round and kind."_s, u"n"_s, u"100000"_s);
    const QCommandLineOption roundsOption(u"rounds"_s, u"Rounds (alternating order)."_s, u"n"_s, u"5"_s);
    const QCommandLineOption zipfOption(u"zipf"_s, u"Zipf exponent of the keys."_s, u"s"_s, u"0.99"_s);
    parser.addOptions({dbOption, rowsOption, fieldsOption, requestsOption, roundsOption, zipfOption});
    parser.process(app);

    QTemporaryDir dir;
    QString db = parser.value(dbOption);
    if (db.isEmpty()) {
        db = dir.filePath(u"demo.db"_s);
        DemoDatabase::create(db, parser.value(rowsOption).toLongLong(), 1);
    }
    const DataSourceSpec spec {db, u"products"_s, u"id"_s, false};
    try {
        DataSourceConnection connection(spec);
        const Projection projection = Projection::parse(connection.schema(), parser.value(fieldsOption));
        const std::vector<std::int64_t> tableKeys = loadKeys(spec, 0);
        auto space = std::make_shared<const KeySpace>(
            tableKeys, RankDistribution::zipf(tableKeys.size(), parser.value(zipfOption).toDouble()), 7);
        KeyStream stream(space, 7, 0);
        std::vector<std::int64_t> keys(std::size_t(parser.value(requestsOption).toLongLong()));
        for (std::int64_t &k : keys)
            k = stream.next();

        // Exact figures: bytes and cache memory, same keys both ways.
        const TransferMeasurement m = measureTransfer(connection, projection, keys, CacheTier::kEntryOverhead);
        // Rates: whole rounds of each kind, alternating which goes first.
        std::vector<double> projectedRates;
        std::vector<double> fullRates;
        std::vector<double> ratios;
        const int rounds = parser.value(roundsOption).toInt();
        for (int r = 0; r < rounds; ++r) {
            double p = 0;
            double f = 0;
            if (r % 2 == 0) {
                p = readAll(connection, projection, keys);
                f = readAll(connection, connection.allColumns(), keys);
            } else {
                f = readAll(connection, connection.allColumns(), keys);
                p = readAll(connection, projection, keys);
            }
            projectedRates.push_back(p);
            fullRates.push_back(f);
            ratios.push_back(p / f);
        }
        std::printf("table products: %lld columns; projection %s (%lld columns)\n",
            static_cast<long long>(connection.schema().columns.size()), qPrintable(projection.toString()),
            static_cast<long long>(projection.fieldNames().size()));
        std::printf("%-12s %14s %16s %14s\n", "", "bytes/request", "cache B/entry", "requests/s");
        std::printf("%-12s %14.1f %16.1f %14.0f\n", "full rows", m.bytesPerRequest(false), m.entryBytesPerRow(false),
            median(fullRates));
        std::printf("%-12s %14.1f %16.1f %14.0f\n", "projection", m.bytesPerRequest(true), m.entryBytesPerRow(true),
            median(projectedRates));
        std::printf("transfer reduction %.1f %% (over %llu requests); cache memory per entry %.1f %% less; "
                    "requests/s x%.2f (median of %d rounds; rounds:",
            m.reduction() * 100.0, static_cast<unsigned long long>(m.requests),
            (1.0 - m.entryBytesPerRow(true) / m.entryBytesPerRow(false)) * 100.0, median(ratios), rounds);
        for (double r : ratios)
            std::printf(" %.2f", r);
        std::printf(")\n");
        numberAccountingCost();
    } catch (const std::exception &error) {
        std::fprintf(stderr, "projection_transfer: %s\n", error.what());
        return 2;
    }
    return 0;
}
