#pragma once

#include <QChartView>
#include <QImage>
#include <QList>
#include <QPen>
#include <QPointF>
#include <QTimer>

#include <vector>

class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace cachescope {

/// A live line chart: samples go into bounded per-series buffers and the chart is redrawn from
/// a timer (about 20 Hz at most) with one replace() per series, however fast samples arrive.
///
/// Memory is bounded and the whole run stays in view: when a series holds kMaxPoints, its points
/// are halved by keeping the lowest and highest of every four (so a spike never disappears), and
/// from then on every group of as many new samples gives its lowest and highest, so the run keeps
/// one resolution from start to end; a
/// redraw draws at most two points per pixel column (min and max of the column), so a 24-hour run
/// draws as fast as a 10-second one. The user can hover a line for its value, drag a rectangle to
/// zoom (which pauses the chart: data keeps coming and shows on resume), and from the context menu
/// pause, reset the zoom, and save the chart as PNG or SVG.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPoints = 6000; ///< kept per series; then halved by min/max
    /// Markers kept at most, the newest; none older than the oldest point still kept either.
    static constexpr qsizetype kMaxMarkers = 1000;

    LiveChart(const QString &title, const QString &xTitle, const QString &yTitle, QWidget *parent = nullptr);

    /// Adds a series; returns its index for append().
    int addSeries(const QString &name, const QColor &color, Qt::PenStyle style = Qt::SolidLine);
    void append(int series, QPointF point);
    /// Renames a series (its legend entry), e.g. after what the run did.
    void setSeriesName(int series, const QString &name);
    QString seriesName(int series) const;
    void clear();
    /// Fixes the y axis range (otherwise it grows to fit the data from 0).
    void setFixedYRange(double min, double max);
    /// A logarithmic y axis (latencies), starting at [\a min, \a max] and growing by decades to fit
    /// the data; points at or below 0 are not drawn. Call before adding series.
    void setLogY(double min, double max);
    bool isLogY() const { return m_logY != nullptr; }
    /// The y axis' current range.
    double yMin() const;
    double yMax() const;
    /// The x range to show from 0 (e.g. the planned phase length); grows if data goes beyond.
    void setXSpan(double span);

    /// Draws a vertical marker at \a x (a live configuration change); \a label says what changed.
    /// A marker is a value painted over the chart, not a series: an hour of changes every few
    /// seconds costs a few kilobytes (a series each cost ~45 KB and a redraw).
    void addMarker(double x, const QString &label);
    int markerCount() const { return int(m_markers.size()); }
    /// What the marker at \a x says, or an empty string.
    QString markerLabel(double x) const;

    /// Points shown by a series (after the latest redraw).
    qsizetype pointCount(int series) const;
    /// How long after new data the chart redraws (default 50 ms). Charts fed by the same
    /// snapshot get different delays, so that each redraws and repaints in an event-loop pass of
    /// its own rather than all in one long pass that holds the window up.
    void setRedrawDelay(int ms) { m_redraw.setInterval(ms); }
    /// Points a series keeps (at most kMaxPoints).
    qsizetype storedPointCount(int series) const { return m_series.at(std::size_t(series)).points.size(); }
    /// The highest value a series keeps.
    double storedMax(int series) const;

    /// Gives every series its own pen again (after QChart::setTheme() replaced them).
    void restoreSeriesPens();

    /// Freezes the drawing (data keeps coming; resuming draws it all).
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    /// Back to the whole run, unpaused.
    void resetZoom();
    bool isZoomed() const { return m_zoomed; }
    /// Writes the chart as it is drawn to \a path: SVG for .svg, else PNG; atomically. An empty
    /// string, or why not (naming the file).
    QString saveImage(const QString &path);
    /// The chart drawn at \a size, markers included, as SVG: what a report embeds. The chart need
    /// not be shown; it is laid out at that size and redrawn first. Same data, same bytes.
    QByteArray svg(QSize size);
    /// The same drawing as an image of \a size × \a scale pixels (a PDF report's figure).
    QImage image(QSize size, qreal scale);
    /// The text the hover read-out shows for \a point of \a series.
    QString readout(int series, QPointF point) const;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    void redraw();
    /// Lays the chart out at \a size and draws its data now (no timer, no window needed).
    void layOut(QSize size);
    /// Paints the chart and its markers on \a painter (the chart's own coordinates).
    void paint(QPainter *painter, QSize size);
    void dropOldMarkers();
    /// The points a redraw hands the series: at most two per pixel column of the plot.
    QList<QPointF> reduced(const QList<QPointF> &points) const;
    void setXRange(double max);
    void setYRange(double max);

    struct Series {
        QLineSeries *series = nullptr;
        QList<QPointF> points; // at most kMaxPoints, evenly reduced: `group` samples give ≤ 2 points
        qsizetype group = 1; // samples per (min, max) pair; doubles at each halving
        QList<QPointF> pending; // the samples of the group being filled
        QPen pen; // its colour and style, kept across theme changes
    };
    struct Marker {
        double x = 0.0; // where, on the x axis
        QString label; // the change
    };
    std::vector<Series> m_series;
    std::vector<Marker> m_markers;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    QLogValueAxis *m_logY = nullptr; // replaces m_y on the chart when set
    bool m_fixedY = false;
    double m_logMin = 1.0; // the log axis' range after clear()
    double m_logMax = 1000.0;
    double m_xSpan = 10.0;
    bool m_dirty = false;
    bool m_paused = false;
    bool m_zoomed = false;
    QTimer m_redraw;
};

} // namespace cachescope
