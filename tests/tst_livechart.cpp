// LiveChart's markers (one per live change): painted over the plot where the change happened,
// kept as values, and bounded as the points are, so an hour of changes neither grows memory nor
// slows the redraw.
#include "ui/livechart.h"

#include <QChart>
#include <QImage>
#include <QLineSeries>
#include <QTest>

using namespace cachescope;

namespace {
const QColor kMarker(0x5f, 0x63, 0x68);

// Pixels of the marker's colour in the column of the view where x falls, over the plot area.
int markerPixels(LiveChart &chart, double x)
{
    const QImage image = chart.grab().toImage();
    QChart *c = chart.chart();
    auto *series = qobject_cast<QLineSeries *>(c->series().first());
    const QPoint top = chart.mapFromScene(c->mapToScene(c->mapToPosition(QPointF(x, 100), series)));
    const QPoint bottom = chart.mapFromScene(c->mapToScene(c->mapToPosition(QPointF(x, 0), series)));
    int found = 0;
    for (int y = top.y(); y <= bottom.y(); ++y) {
        for (int dx = -1; dx <= 1; ++dx) {
            if (image.pixelColor(top.x() + dx, y) == kMarker) {
                ++found;
                break;
            }
        }
    }
    return found;
}
} // namespace

class TestLiveChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void markerIsPaintedWhereTheChangeWas_data()
    {
        QTest::addColumn<double>("x");
        QTest::addRow("early") << 2.0;
        QTest::addRow("late") << 8.5;
    }
    void markerIsPaintedWhereTheChangeWas()
    {
        QFETCH(double, x);
        LiveChart chart(QStringLiteral("hit rate"), QStringLiteral("s"), QStringLiteral("%"));
        chart.resize(600, 300);
        chart.setFixedYRange(0, 100);
        const int s = chart.addSeries(QStringLiteral("hit rate"), Qt::darkGreen);
        for (int i = 0; i <= 100; ++i)
            chart.append(s, QPointF(i / 10.0, 50));
        QTest::qWait(100); // the coalescing redraw
        QCOMPARE(markerPixels(chart, x), 0);
        chart.addMarker(x, QStringLiteral("cache.l1.capacity=60000"));
        // A dashed line over most of the plot's height, only there.
        QVERIFY2(markerPixels(chart, x) > 40, qPrintable(QString::number(markerPixels(chart, x))));
        QCOMPARE(markerPixels(chart, x < 5 ? x + 3 : x - 3), 0);
        QCOMPARE(chart.markerLabel(x), QStringLiteral("cache.l1.capacity=60000"));
    }

    void markersAreBoundedByCountAndByThePointsKept()
    {
        LiveChart chart(QStringLiteral("t"), QStringLiteral("s"), QStringLiteral("n"));
        const int s = chart.addSeries(QStringLiteral("n"), Qt::black);
        for (int i = 0; i < LiveChart::kMaxMarkers + 500; ++i)
            chart.addMarker(i * 0.01, QString::number(i));
        QCOMPARE(chart.markerCount(), int(LiveChart::kMaxMarkers));
        QCOMPARE(chart.markerLabel(499 * 0.01), QString()); // the oldest went first
        QCOMPARE(
            chart.markerLabel((LiveChart::kMaxMarkers + 499) * 0.01), QString::number(LiveChart::kMaxMarkers + 499));

        // Once the oldest points are dropped, so are the markers before them.
        chart.clear();
        chart.addMarker(1.0, QStringLiteral("early"));
        for (qsizetype i = 0; i < LiveChart::kMaxPoints + 100; ++i)
            chart.append(s, QPointF(double(i) / 10.0, 1));
        chart.addMarker(650.0, QStringLiteral("late"));
        QCOMPARE(chart.markerCount(), 1);
        QCOMPARE(chart.markerLabel(650.0), QStringLiteral("late"));
    }
};

QTEST_MAIN(TestLiveChart)
#include "tst_livechart.moc"
