"""The bot's handlers: one ``async def`` per command, message kind and button.

They parse what the user sent, call the engine through `Services` (on worker threads), and send
what bot/formatting.py renders. The wiring (which handler for which update) is in bot/app.py.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import datetime as dt
import logging
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputFile,
    InputTextMessageContent,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CallbackContext, ContextTypes, filters

from index.facts import calendar as facts_calendar
from index.facts import query as facts_query
from index.ingest import IngestError, load_document
from index.lang import small_talk
from index.sentences import clip
from index.tokenize import content_words

from . import callbacks as cb
from . import formatting as fmt
from . import followup, listings, reminders
from . import uploads
from .answers import record_from_answer
from .config import UPLOAD_SUFFIXES
from .i18n import lang_from_code, t
from .services import SERVICES_KEY, Services, doc_key, services
from .throttle import Verdict

log = logging.getLogger(__name__)

TYPING_EVERY = 4.5  # seconds; Telegram shows "typing…" for 5 s after each sendChatAction
SECTION_MAX_MESSAGES = 4  # a longer section goes out as a .txt file instead
INLINE_TITLE_CHARS = 60  # an inline result's title and description: one line on a phone
MAX_REMINDER_DAYS = 366  # "/remind Sở Y tế 2024" names something; it is not 2024 days ahead
MAX_TAPS_KEPT = 10_000  # button taps remembered for repeat_tap_gate before the old ones are dropped


# --- who is addressed ---------------------------------------------------------------------------


class _AddressedToBot(filters.MessageFilter):
    """Private chats: every message. Groups: a mention of the bot, or a reply to the bot."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        return bool(bot.username) and _mentions(message.text or message.caption or "", bot.username)


ADDRESSED = _AddressedToBot(name="AddressedToBot")
# what the bot answers as a question: new text messages, not commands, addressed to it
QUESTION = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & ADDRESSED


def _mentions(text: str, username: str) -> bool:
    return re.search(rf"@{re.escape(username)}\b", text, flags=re.IGNORECASE) is not None


def _strip_mention(text: str, username: str | None) -> str:
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


def _counts_for_throttle(update: Update) -> bool:
    """Updates the bot would act on: buttons, commands, and messages addressed to it. Not inline
    queries: they come as the user types, and Telegram already holds them back and caches them."""
    if update.callback_query is not None:
        return True
    message = update.message
    if message is None:
        return False
    if message.chat.type == ChatType.PRIVATE:
        return True
    return bool(filters.COMMAND.check_update(update) or ADDRESSED.check_update(update))


# --- sending ------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def show_typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat until the block is done (renewed before it fades)."""

    async def keep_typing() -> None:
        while True:
            try:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
            except TelegramError as exc:  # cosmetic: never fail an answer over it
                log.debug("sendChatAction failed: %s", exc)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def send_blocks(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    blocks: list[fmt.Block],
    *,
    reply_to: int | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> list[Message]:
    """Send ``blocks`` as one or more HTML messages; the keyboard goes under the last one."""
    texts = fmt.pack(blocks)
    sent = []
    for i, text in enumerate(texts):
        sent.append(
            await context.bot.send_message(
                chat_id,
                text,
                reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None,
                reply_markup=markup if i == len(texts) - 1 else None,
            )
        )
    return sent


async def _reply(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, **kwargs) -> None:
    """A short HTML reply in the update's chat (quoting the message in groups)."""
    chat = update.effective_chat
    message = update.effective_message
    quote = message is not None and chat is not None and chat.type != ChatType.PRIVATE and update.callback_query is None
    await context.bot.send_message(
        chat.id,
        text,
        reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True) if quote else None,
        **kwargs,
    )


async def respond(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Answer ``question`` in the update's chat: the answer, its citation and the buttons."""
    svc = services(context)
    ui = svc.ui_lang(update)
    chat = update.effective_chat
    user = update.effective_user
    if small_talk(question):
        # a greeting, thanks or an emoji is no question: how to ask, in a private chat; nothing in a
        # group, and no "nothing found" for the feedback log's unanswered questions
        if chat.type == ChatType.PRIVATE:
            await _reply(update, context, t(ui, "small_talk", example=t(ui, "example_questions")[0]))
        return
    if len(question) > svc.settings.max_question_chars:
        await _reply(update, context, t(ui, "question_too_long", limit=svc.settings.max_question_chars))
        return
    started = time.perf_counter()
    async with show_typing(context, chat.id):
        last = svc.storage.last_answer(chat.id, svc.settings.followup_seconds)
        prior = await svc.in_worker(followup.prior_document, svc.engine, last, question, svc.settings.followup_max_words)
        answer = await svc.ask(question, within=prior) if prior else None
        if answer is None or not answer.found:  # not a follow-up, or its document has nothing on it
            answer = await svc.ask(question)
        record = record_from_answer(answer, svc.titles())
    svc.storage.save_answer(record, chat.id, user.id if user else None)
    reply_to = None
    if chat.type != ChatType.PRIVATE and update.callback_query is None and update.effective_message:
        reply_to = update.effective_message.message_id
    card_lang = svc.answer_lang(update, record.lang)
    await send_blocks(context, chat.id, fmt.answer_blocks(record, card_lang), reply_to=reply_to,
                      markup=fmt.answer_keyboard(record, card_lang))
    log.info(
        "answered %s (%s, %s, found=%s, follow-up=%s) in %.0f ms",
        record.key, answer.lang, answer.qtype, answer.found, bool(prior), 1000 * (time.perf_counter() - started),
    )


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot QUESTION in any chat: the answer card, offered as one result to send into that chat."""
    svc = services(context)
    query = update.inline_query
    question = " ".join(query.query.split())[: svc.settings.max_question_chars]
    ui = lang_from_code(query.from_user.language_code)
    if not content_words(question) or small_talk(question):  # still typing, or nothing to look up
        await query.answer([], cache_time=svc.settings.inline_cache_seconds,
                           button=InlineQueryResultsButton(t(ui, "inline_hint"), start_parameter="inline"))
        return
    answer = await svc.ask(question)
    record = record_from_answer(answer, svc.titles())
    if not answer.found:
        await query.answer([], cache_time=svc.settings.inline_cache_seconds,
                           button=InlineQueryResultsButton(t(answer.lang, "inline_not_found"), start_parameter="inline"))
        return
    svc.storage.save_answer(record, None, query.from_user.id)  # sent where the bot cannot see: no chat
    lang = answer.lang
    card = fmt.pack(fmt.answer_blocks(record, lang))[0]  # one message: a card is sized to fit
    try:
        link = f"https://t.me/{context.bot.username}?start={question_link_payload(question)}"
    except ValueError:  # too long for a deep link: the bot's chat, where it can be asked again
        link = f"https://t.me/{context.bot.username}"
    result = InlineQueryResultArticle(
        id=record.key,
        title=clip(record.text, INLINE_TITLE_CHARS),
        description=record.citations[0].number or clip(record.citations[0].title, INLINE_TITLE_CHARS),
        input_message_content=InputTextMessageContent(card, parse_mode=ParseMode.HTML),
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "btn_open_bot"), url=link)]]),
    )
    await query.answer([result], cache_time=svc.settings.inline_cache_seconds)
    log.info("answered inline %s (%s, %s)", record.key, answer.lang, answer.qtype)


# --- gate ---------------------------------------------------------------------------------------


async def repeat_tap_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop a second tap on the same button within a few seconds: the first tap's reply is coming."""
    query = update.callback_query
    if query is None or update.effective_user is None or query.message is None:
        return
    svc = services(context)
    window, now = svc.settings.repeat_tap_seconds, time.monotonic()
    key = (update.effective_user.id, query.message.message_id, query.data or "")
    last = svc.taps.get(key)
    if len(svc.taps) > MAX_TAPS_KEPT:  # forget old taps, so the table stays small
        svc.taps = {k: at for k, at in svc.taps.items() if now - at < window}
    svc.taps[key] = now
    if last is not None and now - last < window:
        await query.answer()  # or the button keeps spinning
        raise ApplicationHandlerStop


async def admit(application: Application, update: object) -> bool:
    """Whether an arriving update goes on to its handlers (bot/ordering.py asks before the chat's
    queue): False for a user over their rate, whose first update over it is told so at once."""
    if not isinstance(update, Update):
        return True
    try:
        await throttle_gate(update, CallbackContext.from_update(update, application))
    except ApplicationHandlerStop:
        return False
    except TelegramError:  # the notice could not be sent: the update is still over the rate
        log.warning("could not tell a throttled user so", exc_info=True)
        return False
    return True


async def throttle_gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from users over their rate; the first one over gets a polite notice."""
    user = update.effective_user
    if user is None or not _counts_for_throttle(update):
        return
    svc = services(context)
    verdict = svc.throttle.check(user.id)
    if verdict is Verdict.ALLOW:
        return
    ui = svc.ui_lang(update)
    query = update.callback_query
    if query is not None:
        # callback queries need to be answered, or the button keeps spinning
        await query.answer(t(ui, "throttled_short") if verdict is Verdict.NOTIFY else None)
    elif verdict is Verdict.NOTIFY:
        log.info("throttling user %s", svc.storage.hash_id(user.id))
        await _reply(update, context, t(ui, "throttled"))
    raise ApplicationHandlerStop


# --- commands -----------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet in the user's language with example questions; /start PAYLOAD opens a deep link."""
    svc = services(context)
    if context.args:
        await _open_deep_link(update, context, context.args[0])
        return
    ui = svc.ui_lang(update)
    user = update.effective_user
    name = ("，" if ui == "zh" else ", ") + fmt.esc(user.first_name) if user and user.first_name else ""
    text = t(ui, "start", name=name) + "\n\n" + t(ui, "examples")
    await _reply(update, context, text, reply_markup=fmt.examples_keyboard(ui))


async def _open_deep_link(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    """doc-<key>: a document's card and its file; q-<base64url>: a question, answered."""
    svc = services(context)
    ui = svc.ui_lang(update)
    kind, _, value = payload.partition("-")
    if kind == "doc":
        doc = svc.find_document(value)
        if doc is None:
            await _reply(update, context, t(ui, "doc_gone"))
            return
        await send_blocks(context, update.effective_chat.id, fmt.doc_card_blocks(doc.meta, ui), markup=fmt.file_keyboard(value, ui))
        return
    if kind == "q":
        question = _decode_question(value)
        if question:
            await respond(update, context, question)
            return
    await _reply(update, context, t(ui, "bad_link"))


def _decode_question(value: str) -> str | None:
    try:
        text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    text = " ".join(text.split())
    return text or None


def question_link_payload(question: str) -> str:
    """The /start payload that asks ``question``: t.me/<bot>?start=<payload>. Telegram allows 64
    characters, so this suits short questions (about 45 bytes of UTF-8)."""
    payload = "q-" + base64.urlsafe_b64encode(question.encode("utf-8")).decode("ascii").rstrip("=")
    if len(payload) > 64:
        raise ValueError("question too long for a deep link (Telegram allows 64 characters)")
    return payload


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands."""
    await _reply(update, context, t(services(context).ui_lang(update), "help"))


async def lang_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer the interface languages as buttons."""
    await _reply(update, context, t(services(context).ui_lang(update), "lang_prompt"), reply_markup=fmt.lang_keyboard())


async def docs_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the documents with number, issuer, date and period."""
    svc = services(context)
    ui = svc.ui_lang(update)
    docs = sorted(svc.documents().values(), key=lambda d: (d.meta.date or "", d.doc_id), reverse=True)
    blocks = fmt.docs_blocks(((doc_key(d.doc_id), d.meta) for d in docs), ui, context.bot.username)
    await send_blocks(context, update.effective_chat.id, blocks)


async def who_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/who AGENCY: the agency's tasks counted per document, each document a button to its items."""
    svc = services(context)
    ui = svc.ui_lang(update)
    agency = " ".join(context.args or []).strip()
    if not agency:
        await _reply(update, context, fmt.esc(t(ui, "who_usage")))
        return
    result = await svc.in_worker(facts_query.who, svc.engine, agency)
    chat_id = update.effective_chat.id
    if not result.agencies:  # close names to tap, each a list of its own
        labels = listings.suggestion_labels(result.suggestions)
        view = listings.no_agency(result, ui, {label: svc.storage.save_list("who", label, chat_id) for label in labels})
    else:
        key = svc.storage.save_list("who", agency, chat_id)
        view = listings.who_summary(result, svc.metas(), ui, key, 0, _paging(svc))
    await send_blocks(context, chat_id, view.blocks, markup=view.keyboard)


async def deadlines_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/deadlines: the next deadlines of plans in force (/deadlines all: ended plans too), and a
    calendar file of them to import."""
    svc = services(context)
    ui = svc.ui_lang(update)
    ended = bool(context.args)  # "/deadlines all", "/deadlines tất cả", "/deadlines 全部"
    items = await svc.in_worker(facts_query.deadlines, svc.engine, today=svc.today())
    chat_id = update.effective_chat.id
    view = listings.deadlines_view(items, svc.metas(), ui, ended=ended, page=0, paging=_paging(svc), today=svc.today())
    await send_blocks(context, chat_id, view.blocks, markup=view.keyboard)
    dated = [i for i in items if i.due and (ended or not i.period_ended)]
    if dated:
        ics = await svc.in_worker(facts_calendar.to_ics, dated)
        await context.bot.send_document(
            chat_id, InputFile(ics, filename="policyqa-deadlines.ics"), caption=fmt.esc(t(ui, "deadlines_file"))
        )


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remind AGENCY|PLAN [days]: remind this chat before each deadline; /remind: the list; /remind off."""
    svc = services(context)
    ui = svc.ui_lang(update)
    chat_id = update.effective_chat.id
    args = list(context.args or [])
    if not args:
        subs = svc.storage.subscriptions(chat_id)
        lines = [t(ui, "remind_list"), *(t(ui, "remind_item", query=fmt.esc(s.query), days=s.days) for s in subs)]
        await _reply(update, context, "\n".join(lines) if subs else t(ui, "remind_none") + "\n" + t(ui, "remind_usage"))
        return
    if args == ["off"]:
        await _reply(update, context, t(ui, "remind_off", n=svc.storage.unsubscribe(chat_id)))
        return
    days = svc.settings.reminder_days
    if len(args) > 1 and args[-1].isdigit() and int(args[-1]) <= MAX_REMINDER_DAYS:
        days = int(args.pop())
    target = " ".join(args)
    kind = await svc.in_worker(reminders.resolve, svc.engine, target)
    if kind is None:
        await _reply(update, context, t(ui, "remind_unknown", query=fmt.esc(target)) + "\n" + t(ui, "remind_usage"))
        return
    subs = svc.storage.subscriptions(chat_id)
    if len(subs) >= svc.settings.max_subscriptions and all((s.kind, s.query) != (kind, target) for s in subs):
        await _reply(update, context, t(ui, "remind_too_many", n=svc.settings.max_subscriptions))
        return
    svc.storage.subscribe(chat_id, kind, target, days, ui)
    scope = {"doc": target} if kind == "plan" else {"agency": target}
    ahead = await svc.in_worker(facts_query.deadlines, svc.engine, today=svc.today(), ended=False, **scope)
    n = sum(1 for i in ahead if i.due and i.due >= svc.today())
    await _reply(update, context, t(ui, "remind_set", query=fmt.esc(target), days=days, n=n))
    await send_reminders(context)  # a deadline already within the days asked for: now, not at the next check


async def send_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job (every reminder_check_seconds): send each reminder due today, once."""
    svc = services(context)
    subs = svc.storage.subscriptions()
    if not subs:
        return
    today = svc.today()
    due = await svc.in_worker(lambda: list(reminders.due(svc.engine, subs, today)))
    metas = svc.metas()
    for r in due:
        when = r.due.isoformat()
        if not svc.storage.claim_reminder(r.subscription.id, r.deadline, when):
            continue  # sent already: by an earlier check, or before a restart
        view = reminders.message(r, metas, today)
        try:
            await send_blocks(context, r.subscription.chat_id, view.blocks)
        except Forbidden:  # the bot was blocked or removed from the chat: its reminders end
            log.info("chat %s is gone; its reminders end", svc.storage.hash_id(r.subscription.chat_id))
            svc.storage.unsubscribe(r.subscription.chat_id)
        except TelegramError:
            log.warning("reminder not sent; the next check tries again", exc_info=True)
            svc.storage.release_reminder(r.subscription.id, r.deadline, when)
        else:
            log.info("reminded chat %s of %s due %s", svc.storage.hash_id(r.subscription.chat_id), r.deadline, when)


async def follow_index(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job (every index_check_seconds): answer from a newer build when one was published
    (another worker's upload, `policyqa build` beside the bot)."""
    svc = services(context)
    if await svc.in_worker(svc.engine.reload_if_newer):
        log.info("switched to the newer index build: %d documents", len(svc.documents()))


def _paging(svc: Services) -> listings.Paging:
    return listings.Paging(svc.settings.list_page_items, svc.settings.list_item_chars)


async def new_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/new: the next question starts afresh, not as a follow-up of the last answer."""
    svc = services(context)
    svc.storage.start_new_topic(update.effective_chat.id)
    await _reply(update, context, t(svc.ui_lang(update), "new_topic"))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask <question>: answer it (the way to ask in groups without a mention)."""
    question = " ".join(context.args or [])
    if not question:
        await _reply(update, context, t(services(context).ui_lang(update), "ask_usage"))
        return
    await respond(update, context, question)


async def question_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message addressed to the bot: answer it."""
    question = _strip_mention(update.message.text, context.bot.username)
    if not question:
        await _reply(update, context, t(services(context).ui_lang(update), "ask_usage"))
        return
    await respond(update, context, question)


async def other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo, voice … in a private chat: say that only text is read."""
    await _reply(update, context, t(services(context).ui_lang(update), "text_only"))


async def _refused_unless_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, message: str = "not_admin") -> bool:
    """Tell a user who is not an admin that this is not for them; True when refused."""
    svc = services(context)
    if svc.is_admin(update.effective_user.id):
        return False
    await _reply(update, context, t(svc.ui_lang(update), message))
    return True


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Index and usage figures (admins only)."""
    if await _refused_unless_admin(update, context):
        return
    svc = services(context)
    ui = svc.ui_lang(update)
    index = svc.engine.index
    s = svc.storage.stats()
    uptime = dt.timedelta(seconds=int(time.time() - svc.started))
    text = t(
        ui,
        "stats",
        documents=len(index.documents),
        chunks=len(index.chunks),
        build=fmt.esc(f"{index.path.name} ({index.manifest.get('created', '?')})"),
        answers=s.answers,
        not_found=s.not_found,
        chats=s.chats,
        up=s.up,
        down=s.down,
        throttled=svc.throttle.throttled,
        uptime=uptime,
    )
    await _reply(update, context, text)


async def reindex_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Update the index from the corpus folder (admins only); answering goes on meanwhile."""
    if await _refused_unless_admin(update, context):
        return
    svc = services(context)
    ui = svc.ui_lang(update)
    await _reply(update, context, t(ui, "reindex_queued" if svc.reindex_lock.locked() else "reindex_started"))
    async with svc.reindex_lock:
        report = await svc.build()
    lines = [
        t(
            ui,
            "reindex_done",
            documents=report.documents,
            chunks=report.chunks,
            reused=report.reused_documents,
            embedded=report.embedded,
            seconds=report.seconds.get("total", 0.0),
        )
    ]
    lines += [t(ui, "reindex_skipped", name=fmt.esc(name), reason=fmt.esc(reason)) for name, reason in report.skipped]
    await send_blocks(context, update.effective_chat.id, [[fmt.Raw(line)] for line in lines])


# --- uploads ------------------------------------------------------------------------------------


def _log_refused(svc: Services, user_id: int, code: str) -> None:
    """A refused upload in the log: who (hashed) and why (the reason's code), never the file's content."""
    log.info("admin %s: upload refused (%s)", svc.storage.hash_id(user_id), code)


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's PDF/DOCX/HTML/TXT: check it, add it to the corpus, update the index."""
    if await _refused_unless_admin(update, context, "upload_not_admin"):
        return
    svc = services(context)
    ui = svc.ui_lang(update)
    user = update.effective_user
    document = update.message.document
    shown = fmt.esc(document.file_name or "?")
    types = ", ".join(sorted({s.lstrip(".").upper() for s in UPLOAD_SUFFIXES} - {"HTM"}))
    try:
        name = uploads.safe_name(document.file_name, document.mime_type)
    except uploads.UploadRejected:
        _log_refused(svc, user.id, "type")
        await _reply(update, context, t(ui, "upload_bad_type", types=types))
        return
    limit = min(svc.settings.max_upload_bytes, svc.engine.settings.max_file_bytes)
    # refuse before downloading anything: Telegram tells the size up front
    if document.file_size and document.file_size > limit:
        _log_refused(svc, user.id, "too_big")
        await _reply(update, context, t(ui, "upload_too_big", size=fmt.human_size(document.file_size), limit=fmt.human_size(limit)))
        return
    await _reply(update, context, t(ui, "upload_checking", name=shown))
    corpus = svc.engine.settings.corpus_dir
    staged = uploads.staging_path(corpus, name)
    try:
        tg_file = await context.bot.get_file(document.file_id)
        await tg_file.download_to_drive(staged)
        size = staged.stat().st_size
        if size > limit:
            _log_refused(svc, user.id, "too_big")
            await _reply(update, context, t(ui, "upload_too_big", size=fmt.human_size(size), limit=fmt.human_size(limit)))
            return
        try:
            parsed = await svc.in_worker(load_document, staged, name, svc.engine.settings)
        except IngestError as exc:
            _log_refused(svc, user.id, exc.code)
            reason = t(ui, f"reason_{exc.code}", **exc.values)
            await _reply(update, context, t(ui, "upload_invalid", name=shown, reason=fmt.esc(reason)))
            return
        same = uploads.duplicate_of(parsed, svc.documents())
        if same is not None:
            await _reply(update, context, t(ui, "upload_duplicate", doc=fmt.esc(f"{same.meta.title} ({same.doc_id})")))
            return
        async with svc.reindex_lock:
            target = uploads.unique_path(corpus, name)
            staged.replace(target)
            await _reply(update, context, t(ui, "upload_indexing", name=fmt.esc(target.name)))
            try:
                report = await svc.build()
            except Exception:
                # leave the corpus as the index knows it: the file goes, the old index stays
                target.unlink(missing_ok=True)
                log.exception("indexing the upload %s failed", target.name)
                await _reply(update, context, t(ui, "upload_failed"))
                return
        added = svc.documents().get(target.name) or parsed
        log.info("admin %s added %s (%d documents indexed)", svc.storage.hash_id(user.id), target.name, report.documents)
        blocks = [[fmt.Raw(t(ui, "upload_done", seconds=report.seconds.get("total", 0.0)))], *fmt.doc_card_blocks(added.meta, ui)]
        await send_blocks(context, update.effective_chat.id, blocks, markup=fmt.file_keyboard(doc_key(target.name), ui))
    finally:
        uploads.discard(staged)


# --- buttons ------------------------------------------------------------------------------------


async def sources_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Nguồn / 来源": send the full passages the answer cites."""
    svc = services(context)
    query = update.callback_query
    ui = svc.ui_lang(update)
    record = svc.storage.load_answer(cb.parse(query.data).key, _chat_id(update))
    if record is None:
        await query.answer(t(ui, "answer_expired"), show_alert=True)
        return
    await query.answer()
    blocks = fmt.sources_blocks(record, svc.answer_lang(update, record.lang))
    await send_blocks(context, update.effective_chat.id, blocks, reply_to=_message_id(query))


async def section_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Toàn văn mục / 查看本节": send the whole section the answer quotes."""
    svc = services(context)
    query = update.callback_query
    ui = svc.ui_lang(update)
    record = svc.storage.load_answer(cb.parse(query.data).key, _chat_id(update))
    cited = next((c for c in record.citations if c.section), None) if record else None
    if cited is None:
        await query.answer(t(ui, "answer_expired"), show_alert=True)
        return
    text = await svc.in_worker(svc.engine.section_text, cited.doc_id, cited.section)
    if not text.strip():
        await query.answer(t(ui, "section_gone"), show_alert=True)
        return
    await query.answer()
    blocks = fmt.section_blocks(cited.title, cited.section, text, ui)
    chat_id = update.effective_chat.id
    if len(fmt.pack(blocks)) <= SECTION_MAX_MESSAGES:
        await send_blocks(context, chat_id, blocks, reply_to=_message_id(query))
        return
    body = f"{cited.title}\n{cited.section}\n\n{text}\n".encode()
    filename = re.sub(r"[^\w.-]+", "_", f"{Path(cited.doc_id).stem}_{cited.section[:40]}").strip("_") + ".txt"
    await context.bot.send_document(
        chat_id,
        InputFile(body, filename=filename),
        caption=f"📖 {fmt.esc(t(ui, 'section_as_file'))}\n<b>{fmt.esc(cited.section[:500])}</b>",
        reply_parameters=ReplyParameters(_message_id(query), allow_sending_without_reply=True) if _message_id(query) else None,
    )


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎: record the user's vote; a private chat's keyboard marks it, a group's counts them
    (everyone sees the same keyboard: one person's ✓ would look like everyone's)."""
    svc = services(context)
    query = update.callback_query
    data = cb.parse(query.data)
    record = svc.storage.load_answer(data.key, _chat_id(update))
    if record is None or not svc.storage.vote(data.key, update.effective_user.id, data.arg, _chat_id(update)):
        await query.answer(t(svc.ui_lang(update), "answer_expired"), show_alert=True)
        return
    ui = svc.answer_lang(update, record.lang)
    await query.answer(t(ui, "thanks_up" if data.arg == "up" else "thanks_down"))
    if update.effective_chat.type == ChatType.PRIVATE:
        keyboard = fmt.answer_keyboard(record, ui, vote=data.arg)
    else:
        keyboard = fmt.answer_keyboard(record, ui, counts=svc.storage.vote_counts(data.key))
    with contextlib.suppress(BadRequest):  # "message is not modified" when voting the same twice
        await query.edit_message_reply_markup(keyboard)


async def lang_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A language from /lang: remember it for this chat and confirm in it."""
    svc = services(context)
    query = update.callback_query
    lang = cb.parse(query.data).arg
    svc.storage.set_chat_lang(update.effective_chat.id, lang)
    await query.answer(t(lang, "lang_set"))
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(t(lang, "lang_set"))


async def example_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An example question from /start: answer it."""
    svc = services(context)
    query = update.callback_query
    ui = svc.ui_lang(update)
    examples = t(ui, "example_questions")
    n = int(cb.parse(query.data).arg)
    if n >= len(examples):
        await query.answer(t(ui, "unknown_button"))
        return
    await query.answer()
    await respond(update, context, examples[n])


async def file_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"Tải văn bản / 下载文件": send the document's file as it was added to the corpus."""
    svc = services(context)
    query = update.callback_query
    ui = svc.ui_lang(update)
    doc = svc.find_document(cb.parse(query.data).key)
    path = svc.engine.settings.corpus_dir / doc.doc_id if doc else None
    if doc is None or path is None or not path.is_file():
        await query.answer(t(ui, "doc_gone"), show_alert=True)
        return
    await query.answer()
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(path.read_bytes(), filename=path.name),
        caption=f"📄 {fmt.esc(doc.meta.title[:900])}",
    )


async def who_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /who page: the documents, or one document's items; the message is edited in place."""
    svc = services(context)
    query = update.callback_query
    ui = svc.ui_lang(update)
    data = cb.parse(query.data)
    agency = svc.storage.load_list(data.key, "who", _chat_id(update))
    if agency is None:
        await query.answer(t(ui, "list_expired"), show_alert=True)
        return
    result = await svc.in_worker(facts_query.who, svc.engine, agency)
    where, _, page = data.arg.partition(":")
    if where in ("", "d"):
        view = listings.who_summary(result, svc.metas(), ui, data.key, int(page or 0), _paging(svc))
    elif int(where) < len(result.docs):
        view = listings.who_page(result, svc.metas(), ui, data.key, int(where), int(page), _paging(svc))
    else:  # the index changed since the list was sent
        await query.answer(t(ui, "list_expired"), show_alert=True)
        return
    await query.answer()
    await _show(update, context, view)


async def deadlines_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A /deadlines page, or ended plans shown / hidden; the message is edited in place."""
    svc = services(context)
    query = update.callback_query
    mode, _, page = cb.parse(query.data).arg.partition(":")
    items = await svc.in_worker(facts_query.deadlines, svc.engine, today=svc.today())
    view = listings.deadlines_view(items, svc.metas(), svc.ui_lang(update), ended=mode == "a", page=int(page),
                                   paging=_paging(svc), today=svc.today())
    await query.answer()
    await _show(update, context, view)


async def _show(update: Update, context: ContextTypes.DEFAULT_TYPE, view: listings.View) -> None:
    """Replace the tapped message with ``view`` (one message: a page is sized to fit), or send it
    anew when the message cannot be edited (too old, or an inline message)."""
    text = fmt.pack(view.blocks)[0]
    message = update.callback_query.message
    if message is not None:
        with contextlib.suppress(BadRequest):  # "message is not modified": the same page tapped again
            await update.callback_query.edit_message_text(text, reply_markup=view.keyboard)
        return
    await send_blocks(context, update.effective_chat.id, view.blocks, markup=view.keyboard)


async def noop_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The page counter on a keyboard: nothing to do, but a tap must be answered."""
    await update.callback_query.answer()


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback data we did not make (old or forged): a polite answer, nothing else."""
    await update.callback_query.answer(t(services(context).ui_lang(update), "unknown_button"))


def _chat_id(update: Update) -> int:
    """The chat a button was pressed in: answers are only shown and voted on where they were
    given. Without one (an inline message) nothing matches, as ``0`` is no chat's id."""
    chat = update.effective_chat
    return chat.id if chat is not None else 0


def _message_id(query) -> int | None:
    message = query.message
    return message.message_id if message is not None else None


# --- errors -------------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with its context; tell the user, in their language, that something failed."""
    svc: Services = context.bot_data[SERVICES_KEY]
    if not isinstance(update, Update):
        # polling/network trouble: no user to tell; PTB retries by itself
        log.error("error outside an update: %s", context.error, exc_info=context.error)
        return
    chat, user = update.effective_chat, update.effective_user
    hashed = svc.storage.hash_id(user.id) if user else "-"
    log.error(
        "error handling update %s (chat type %s, user %s)",
        update.update_id, chat.type if chat else "-", hashed,
        exc_info=context.error,
    )
    try:
        ui = svc.ui_lang(update)
    except Exception:  # the error may be the database itself
        ui = lang_from_code(user.language_code if user else None)
    try:
        if update.callback_query is not None:
            with contextlib.suppress(BadRequest):  # already answered
                await update.callback_query.answer(t(ui, "error"), show_alert=True)
                return
        if chat is not None:
            await context.bot.send_message(chat.id, t(ui, "error"))
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc)
