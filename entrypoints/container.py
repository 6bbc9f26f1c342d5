"""The composition root: the one place that chooses an adapter for each port.

`Container` is `CoreContainer` (storage, security, accounts, administration; in
container_core.py) plus generation, video, budgets and conversations."""

from __future__ import annotations

from dependency_injector import providers

from adapters.media.images import PillowImageInspector
from adapters.media.resolver import SystemAddressResolver
from adapters.media.videos import HeaderVideoInspector
from adapters.metrics.metered import MeteredGateway
from adapters.metrics.prometheus import ApiMetrics
from adapters.openrouter.gateway import OpenRouterGateway, make_http_client
from adapters.openrouter.video import OpenRouterVideoGateway
from adapters.sql.budget_readers import SqlSpendReader
from adapters.sql.readers import SqlHistoryReader
from application.budget.budget_overview import BudgetsOf, GetBudgetOverview
from application.budget.estimate_cost import EstimateCost
from application.budget.get_budget import GetBudget
from application.budget.ledger import SpendLedger
from application.budget.reserve_spend import SpendGuard
from application.budget.set_budget import SetBudget
from application.budget.spending import GenerationSpending
from application.budget.start_budgets import StartBudgets
from application.conversations.context_windows import CatalogueContextWindows
from application.conversations.create_conversation import CreateConversation
from application.conversations.delete_conversation import DeleteConversation
from application.conversations.exchange import Exchanges
from application.conversations.export_conversation import ExportConversation
from application.conversations.get_conversation import GetConversation
from application.conversations.list_conversations import ListConversations
from application.conversations.regenerate_answer import RegenerateAnswer
from application.conversations.send_message import SendMessage
from application.conversations.stream_message import StreamMessage
from application.conversations.update_conversation import UpdateConversation
from application.generation.advance_video_jobs import AdvanceVideoJobs
from application.generation.delete_generation import DeleteGeneration
from application.generation.generate_image import GenerateImage
from application.generation.generate_text import GenerateText
from application.generation.get_generation import GetGeneration
from application.generation.get_video import GetVideo
from application.generation.list_generations import ListGenerations
from application.generation.list_models import ListModels
from application.generation.list_video_models import ListVideoModels
from application.generation.model_cache import ModelCache
from application.generation.open_media import OpenMedia
from application.generation.stream_text import StreamText
from application.generation.submit_video import SubmitVideo
from application.generation.submit_video_from_image import SubmitVideoFromImage
from entrypoints import resources
from entrypoints.container_core import CoreContainer


class Container(CoreContainer):
    # what the generation providers take from the core (the same provider objects)
    settings = CoreContainer.settings
    database = CoreContainer.database
    clock = CoreContainer.clock
    ids = CoreContainer.ids
    locks = CoreContainer.locks
    uow = CoreContainer.uow
    recorder = CoreContainer.recorder
    media = CoreContainer.media

    http = providers.Singleton(make_http_client)
    metrics = providers.Singleton(ApiMetrics)
    openrouter = providers.Singleton(
        OpenRouterGateway,
        client=http,
        base_url=settings.provided.openrouter_base_url,
        api_key=settings.provided.openrouter_api_key.get_secret_value.call(),
        deadline_s=settings.provided.upstream_deadline_s,
        stream_deadline_s=settings.provided.upstream_stream_deadline_s,
    )
    gateway = providers.Singleton(MeteredGateway, inner=openrouter, counter=metrics)
    inspector = providers.Singleton(PillowImageInspector)
    history_reader = providers.Singleton(SqlHistoryReader, database=database)
    model_cache = providers.Singleton(ModelCache)

    generate_text = providers.Factory(
        GenerateText, recorder=recorder, gateway=gateway, clock=clock, ids=ids
    )
    stream_text = providers.Factory(
        StreamText, recorder=recorder, gateway=gateway, clock=clock, ids=ids
    )
    generate_image = providers.Factory(
        GenerateImage,
        recorder=recorder,
        gateway=gateway,
        media=media,
        inspector=inspector,
        clock=clock,
        ids=ids,
    )
    video_gateway = providers.Singleton(
        OpenRouterVideoGateway,
        client=http,
        base_url=settings.provided.openrouter_base_url,
        api_key=settings.provided.openrouter_api_key.get_secret_value.call(),
        spool_dir=media.provided.incoming,
        deadline_s=settings.provided.upstream_deadline_s,
        download_deadline_s=settings.provided.upstream_stream_deadline_s,
    )
    list_video_models = providers.Factory(
        ListVideoModels, gateway=video_gateway, clock=clock, cache=model_cache
    )
    list_models = providers.Factory(
        ListModels, gateway=gateway, clock=clock, cache=model_cache, videos=list_video_models
    )
    list_generations = providers.Factory(ListGenerations, reader=history_reader)
    get_generation = providers.Factory(GetGeneration, uow=uow)
    delete_generation = providers.Factory(DeleteGeneration, uow=uow, media=media)
    open_media = providers.Factory(OpenMedia, uow=uow, media=media)

    video_timing = providers.Singleton(resources.video_timing, settings=settings)
    sanitizer = providers.Resource(resources.sanitizer, settings=settings)
    resolver = providers.Singleton(SystemAddressResolver)
    submit_video = providers.Factory(
        SubmitVideo,
        uow=uow,
        gateway=video_gateway,
        catalogue=list_video_models,
        clock=clock,
        ids=ids,
        timing=video_timing,
        locks=locks,
    )
    submit_video_from_image = providers.Factory(
        SubmitVideoFromImage,
        uow=uow,
        gateway=video_gateway,
        catalogue=list_video_models,
        sanitizer=sanitizer,
        resolver=resolver,
        clock=clock,
        ids=ids,
        timing=video_timing,
        locks=locks,
        max_upload_bytes=settings.provided.upload_max_bytes,
    )
    get_video = providers.Factory(GetVideo, uow=uow)
    video_inspector = providers.Singleton(HeaderVideoInspector)
    advance_video_jobs = providers.Factory(
        AdvanceVideoJobs,
        uow=uow,
        gateway=video_gateway,
        media=media,
        clock=clock,
        ids=ids,
        timing=video_timing,
        locks=locks,
        inspector=video_inspector,
        owner=providers.Singleton(resources.process_identity),
        lease=providers.Factory(resources.video_lease, settings=settings),
        lease_uow=uow,
    )

    # Budgets and generation limits: every generation use case (and the video follower)
    # reserves before it calls OpenRouter and settles after (application/budget/spending).
    budget_defaults = providers.Singleton(resources.budget_defaults, settings=settings)
    generation_limiter = providers.Singleton(
        resources.generation_limiter, settings=settings, clock=clock
    )
    spend_ledger = providers.Factory(SpendLedger, uow=uow, locks=locks, defaults=budget_defaults)
    spending = providers.Factory(
        GenerationSpending,
        guard=providers.Factory(SpendGuard, ledger=spend_ledger, clock=clock, ids=ids),
        limiter=generation_limiter,
        catalogue=list_models,
    )
    for _uses_spending in (
        generate_text,
        stream_text,
        generate_image,
        submit_video,
        submit_video_from_image,
        advance_video_jobs,
    ):
        _uses_spending.add_kwargs(spending=spending)
    del _uses_spending
    spend_reader = providers.Singleton(SqlSpendReader, database=database)
    get_budget = providers.Factory(GetBudget, uow=uow, clock=clock, defaults=budget_defaults)
    set_budget = providers.Factory(
        SetBudget, uow=uow, clock=clock, ids=ids, locks=locks, defaults=budget_defaults
    )
    estimate_cost = providers.Factory(
        EstimateCost, spending=spending, ledger=spend_ledger, clock=clock
    )
    budget_overview = providers.Factory(
        GetBudgetOverview, reader=spend_reader, clock=clock, defaults=budget_defaults
    )
    budgets_of = providers.Factory(
        BudgetsOf, reader=spend_reader, clock=clock, defaults=budget_defaults
    )
    start_budgets = providers.Factory(
        StartBudgets,
        ledger=spend_ledger,
        reader=spend_reader,
        limiter=generation_limiter,
        clock=clock,
        abandoned_after=providers.Factory(resources.abandoned_after, settings=settings),
    )

    # Conversations: the exchanges are a Factory (one unit of work per request); the locks
    # are the shared singleton that DeleteUser also holds.
    context_windows = providers.Factory(CatalogueContextWindows, catalogue=list_models)
    exchanges = providers.Factory(
        Exchanges,
        uow=uow,
        gateway=gateway,
        windows=context_windows,
        clock=clock,
        ids=ids,
        locks=locks,
        spending=spending,
    )
    create_conversation = providers.Factory(
        CreateConversation, uow=uow, clock=clock, ids=ids, locks=locks
    )
    list_conversations = providers.Factory(ListConversations, uow=uow)
    get_conversation = providers.Factory(GetConversation, uow=uow)
    update_conversation = providers.Factory(UpdateConversation, uow=uow, clock=clock, locks=locks)
    delete_conversation = providers.Factory(DeleteConversation, uow=uow, locks=locks)
    send_message = providers.Factory(SendMessage, exchanges=exchanges)
    stream_message = providers.Factory(StreamMessage, exchanges=exchanges)
    regenerate_answer = providers.Factory(RegenerateAnswer, exchanges=exchanges)
    export_conversation = providers.Factory(ExportConversation, get=get_conversation)
