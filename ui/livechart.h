#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QTimer>

#include <vector>

class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace cachescope {

/// A live line chart: samples go into bounded per-series buffers and the chart is redrawn from
/// a timer (about 20 Hz at most) with one replace() per series, however fast samples arrive.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPoints = 6000; ///< per series (10 minutes at 10 Hz)
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

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void redraw();
    void dropOldMarkers();
    void setXRange(double max);
    void setYRange(double max);

    struct Series {
        QLineSeries *series = nullptr;
        QList<QPointF> points;
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
    bool m_trimmed = false; // points were dropped from the front of a series
    QTimer m_redraw;
};

} // namespace cachescope
