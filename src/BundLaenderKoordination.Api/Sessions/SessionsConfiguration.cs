using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace BundLaenderKoordination.Api.Sessions;

public static class SessionsConfiguration
{
    /// <summary>The stored event names of session and special-session request streams (docs/events.md).</summary>
    public static readonly IReadOnlyDictionary<Type, string> EventNames = new Dictionary<Type, string>
    {
        [typeof(SessionScheduled)] = "session_scheduled",
        [typeof(AgendaItemAdded)] = "agenda_item_added",
        [typeof(SessionOpened)] = "session_opened",
        [typeof(AttendanceRecorded)] = "attendance_recorded",
        [typeof(SessionClosed)] = "session_closed",
        [typeof(SpecialSessionRequested)] = "special_session_requested",
        [typeof(SpecialSessionSupported)] = "special_session_supported",
        [typeof(SpecialSessionConvened)] = "special_session_convened",
    };

    public static void AddSessions(this StoreOptions options)
    {
        foreach (var (type, name) in EventNames) options.Events.MapEventType(type, name);
        options.Projections.Add(new SessionViewProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<SessionView>().Index(s => s.Body);
        options.Projections.Add(new SpecialSessionRequestProjection(), ProjectionLifecycle.Inline);
    }
}

public sealed class SessionViewProjection : SingleStreamProjection<SessionView, Guid>
{
    // Only session events: without this list the inline projection loads a document for every stream any command appends to.
    public SessionViewProjection()
    {
        foreach (var type in SessionsConfiguration.EventNames.Keys) IncludeType(type);
    }

    public override SessionView? Evolve(SessionView? snapshot, Guid id, IEvent e) => SessionView.Next(snapshot, e.Data);
}

public sealed class SpecialSessionRequestProjection : SingleStreamProjection<SpecialSessionRequestView, Guid>
{
    public SpecialSessionRequestProjection()
    {
        foreach (var type in SessionsConfiguration.EventNames.Keys) IncludeType(type);
    }

    public override SpecialSessionRequestView? Evolve(SpecialSessionRequestView? snapshot, Guid id, IEvent e) => SpecialSessionRequestView.Next(snapshot, e.Data);
}
