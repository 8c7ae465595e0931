"""The template bank for ``dialogue``: pure data, no logic beyond the format below.

``OPENERS[kind][tone]`` holds what an initiator may say; ``REPLIES[kind][tone]`` how a
target may answer. Each is a block of lines, one template per line. A line may start
with a stage prefix naming the relationship stages it fits (``s`` stranger, ``a``
acquaintance, ``f`` friend, ``c`` close), e.g. ``"fc: Come here, you!"``; a line
without one fits every stage. Placeholders: ``{name}`` the one spoken to, ``{me}`` the
speaker, ``{subject}`` the third character (gossip), ``{secret}`` the secret told.
For deceit, warm/neutral replies are the believing ones, cold/hostile the disbelieving.
"""

from __future__ import annotations

OPENERS: dict[str, dict[str, str]] = {
    "greeting": {
        "warm": """
            Hello {name}! How are you today?
            {name}! How lovely to see you.
            Good morning, {name}! Isn't it a fine day?
            There you are, {name}! I was hoping I'd run into you.
            Hello, hello! How's the world treating you, {name}?
            s: Hello there! I don't believe we've met. I'm {me}.
            s: Good day! I'm {me}. You must be {name}?
            s: Hi! I've been meaning to introduce myself. I'm {me}.
            a: Hello again, {name}! Nice to see a familiar face.
            a: {name}! We keep running into each other. How are you?
            f: {name}! Just the person I wanted to see.
            fc: Come here, you! How have you been, {name}?
            c: {name}, my dear! I've missed you.
            c: There's my favourite person. Hello, {name}!
        """,
        "neutral": """
            Hello, {name}.
            Morning, {name}. How are things?
            Good day, {name}.
            Hi, {name}. Keeping well?
            Ah, {name}. Hello.
            s: Hello. I'm {me}.
            s: Good morning. I don't think we've been introduced. {me}.
            a: Hello again, {name}.
            fc: Hey, {name}. What's new?
        """,
        "cold": """
            {name}.
            Oh. It's you, {name}.
            Hello, I suppose.
            Morning.
            Hm. {name}.
            s: Hm. Hello.
            s: Yes? Can I help you?
            a: {name}. Still around, then.
        """,
        "hostile": """
            Well, look who it is.
            You again, {name}?
            What do you want, {name}?
            Oh, wonderful. {name}.
            Of all the people to run into.
            s: And who are you supposed to be?
        """,
    },
    "small_talk": {
        "warm": """
            Isn't the weather glorious today, {name}?
            I tried the new bakery this morning. You have to go, {name}.
            Have you heard the music from the square? It's been lovely all week.
            I've been reading the most wonderful book. Do you read much, {name}?
            What have you been up to lately? Tell me everything.
            s: So, what brings you here? I love meeting new people.
            fc: I saved you a seat, {name}. How was your week?
            c: I was just telling everyone about you, {name}. Good things, I promise.
        """,
        "neutral": """
            Looks like rain later.
            Busy day today, isn't it?
            Did you hear the market moved to Thursdays?
            How's work keeping you, {name}?
            Quiet around here lately.
            s: Have you lived here long?
            a: Same as always around here, isn't it, {name}?
            f: So, anything new with you, {name}?
        """,
        "cold": """
            Weather's turning.
            Another day, I suppose.
            The market was crowded. As usual.
            Can't say much has happened.
            s: You're new here, aren't you.
        """,
        "hostile": """
            Don't expect me to chat, {name}.
            I suppose you want to talk about the weather.
            Let's not pretend we have anything to discuss.
            Nice day. Shame about the company.
        """,
    },
    "compliment": {
        "warm": """
            You look wonderful today, {name}!
            I have to say, {name}, you're brilliant at what you do.
            That was so kind of you yesterday. You're a gem, {name}.
            Your laugh brightens the whole room, {name}.
            I love how you always know what to say.
            s: I must say, that's a marvellous hat.
            fc: Honestly, {name}, I don't know what we'd do without you.
            c: I don't tell you enough, {name}: you're the best friend I have.
        """,
        "neutral": """
            That's a nice coat, {name}.
            Good work earlier, {name}.
            You handled that well.
            Your garden's looking good this year.
            s: Nice hat.
        """,
        "cold": """
            I suppose that colour suits you.
            Not bad, {name}. Not bad at all.
            You did adequately, I'll give you that.
            For once, you got it right.
        """,
        "hostile": """
            Well, aren't you full of surprises. Almost competent.
            Even a stopped clock is right twice a day, {name}.
        """,
    },
    "joke": {
        "warm": """
            Did you hear about the baker who quit? He couldn't make enough dough!
            {name}, what do you call a fish with no eyes? A fsh!
            Why did the scarecrow win a prize? He was outstanding in his field!
            I told my cat a joke once. She didn't laugh, but she's a tough crowd.
            I tried to catch fog yesterday. Mist.
            Why did the rose blush, {name}? It saw the salad dressing.
            The gardener says the hedge maze is a-maze-ing. I've stopped inviting him.
            I asked the butler for a joke about tea. He said it wasn't his cup of tea.
            What did the teapot say to the kettle? You're always letting off steam!
            Our host's punch is so strong the fountain refused a second glass.
            I'd tell you a croquet joke, {name}, but it's a bit of a stretch.
            Why do bees hum? They never learned the words.
            The peacock asked me for directions. I said it was beneath him.
            I once lost a game of hide and seek in the maze. Nobody came looking.
            What do you call a sleeping bull? A bulldozer!
            f: Remember when you fell in the fountain? I still laugh about it, {name}.
            c: {name}, you'll love this one. I've been saving it just for you.
        """,
        "neutral": """
            Why don't skeletons fight each other? They don't have the guts.
            I'd tell you a chemistry joke, but I know I wouldn't get a reaction.
            Time flies like an arrow. Fruit flies like a banana.
            What's brown and sticky? A stick.
            I used to be a banker, but I lost interest.
            I'm reading a book on anti-gravity. I can't put it down.
            Parallel lines have so much in common. Shame they'll never meet.
            The cook says the soup is a secret recipe. I can taste why.
            I'd join the choir, but they'd only ask me to hum quietly in the garden.
            Why was the clock hungry? It went back four seconds.
        """,
        "cold": """
            Here's a joke: this town.
            They say laughter is the best medicine. Clearly you've not been taking any.
            I'd make a joke about the mayor, but he's already one.
            What's the difference between you and a calendar? A calendar has dates.
        """,
        "hostile": """
            The funniest thing here is you thinking you matter, {name}.
            Want to hear a joke? Your plans.
            Knock knock. Nobody's there for you, {name}.
        """,
    },
    "confide": {
        "warm": """
            {name}, can I tell you something? I've been feeling a bit lost lately.
            I trust you, {name}, so I'll just say it: I'm scared about the future.
            I haven't told anyone else this, but I've been so lonely.
            Can we talk? Something's been weighing on me.
            s: This might sound strange from someone you've just met, but I needed to tell someone.
            fc: You're the only one I can tell, {name}. I think I'm failing.
        """,
        "neutral": """
            Do you have a minute? I need to get something off my chest.
            I'm not sure why I'm telling you this, but things aren't great.
            Can I be honest with you, {name}? I've been struggling.
            I've had a rough week, if I'm honest.
        """,
        "cold": """
            I don't usually talk about this. But I've been struggling.
            Don't make a fuss, {name}, but I'm not doing well.
            I need to say this to someone. You'll do.
        """,
        "hostile": """
            I'm only telling you because there's no one else, {name}.
            Don't you dare repeat this: I'm not coping.
        """,
    },
    "ask_for_help": {
        "warm": """
            {name}, could I ask a favour? I could really use your help.
            Would you help me with something? I'd be so grateful.
            I'm in a bit of a pickle, {name}. Could you lend a hand?
            You're good at this sort of thing. Would you help me?
            s: I'm sorry to bother a stranger, but could you help me?
            c: I need you, {name}. Just for an hour, I promise.
        """,
        "neutral": """
            Could you give me a hand with something?
            I need some help, {name}. Do you have time?
            Would you mind helping me move a few things?
            If you're free later, I could use some help.
        """,
        "cold": """
            I need help. You're here.
            I wouldn't ask if I had a choice, {name}. Help me.
            Help me with this. It won't take long.
        """,
        "hostile": """
            You owe me, {name}. Help me with this.
            Make yourself useful for once and help me.
        """,
    },
    "help": {
        "warm": """
            Here, let me help you with that, {name}.
            I finished the chores you were worried about. Don't thank me!
            I brought the tools you needed. Let's fix it together.
            You looked overwhelmed, so I sorted it out for you.
            s: Excuse me, can I help you with that?
            c: I'll always have your back, {name}. Let me take care of it.
        """,
        "neutral": """
            I've taken care of that for you.
            Here, let me get that.
            I saw you needed a hand, so I helped.
            It's done, {name}. Don't mention it.
        """,
        "cold": """
            I've handled it. Don't make me do it twice.
            There. It's done.
            Fine, I'll help. This once.
        """,
        "hostile": """
            Here, since you're useless at it.
            I fixed your mess, {name}. You're welcome.
        """,
    },
    "gift": {
        "warm": """
            I saw this and thought of you, {name}. It's yours!
            Happy day! I brought you a little something.
            Here, I made this for you. I hope you like it.
            A small gift, {name}, to say thank you for everything.
            s: A small welcome gift. I'm {me}, by the way.
            c: I've been saving this for you for weeks, {name}.
        """,
        "neutral": """
            I had a spare one of these. Would you like it?
            This is for you, {name}.
            Here. I thought you might have a use for it.
            Something for you. It's nothing much.
        """,
        "cold": """
            Take it. I don't need it.
            Here. Don't read anything into it.
            I was told to give you this.
        """,
        "hostile": """
            Here. Now we're square, {name}.
            Take it and stop complaining.
        """,
    },
    "flirt": {
        "warm": """
            Has anyone told you that your eyes are like the sea at dawn, {name}?
            I find myself looking for you in every crowd, {name}.
            Would you walk with me by the river this evening?
            You make it very hard to concentrate, {name}.
            I saved the last dance for you, if you want it.
            s: I don't usually talk to strangers, but I couldn't resist.
            c: Every day with you is my favourite day, {name}.
        """,
        "neutral": """
            You look rather nice today, {name}.
            Are you free this evening, by any chance?
            I'd like to get to know you better, {name}.
            You've got a lovely smile. You should use it more.
        """,
        "cold": """
            You're insufferable, {name}. I rather like that.
            I can't stand you. Dinner on Friday?
            Don't flatter yourself, but you're not entirely unattractive.
        """,
        "hostile": """
            I despise you, {name}. Why can't I stop looking at you?
            You're the worst person I know. Kiss me.
        """,
    },
    "apologise": {
        "warm": """
            {name}, I'm so sorry. I was wrong, and you didn't deserve that.
            I owe you an apology, {name}. Can you forgive me?
            I've been thinking about what I did, and I'm truly sorry.
            I hate that I hurt you. I'm sorry, {name}.
            c: You matter too much to me to leave this unsaid: I'm sorry.
        """,
        "neutral": """
            I'm sorry about what happened, {name}.
            I shouldn't have said that. I apologise.
            I was out of line. Sorry.
            Look, I'm sorry. It won't happen again.
        """,
        "cold": """
            Fine. I'm sorry. Happy?
            I apologise, if that's what you need to hear.
            Sorry. There, I said it.
        """,
        "hostile": """
            I'm sorry you took it so badly, {name}.
            I'm told I should apologise. Consider it done.
        """,
    },
    "tease": {
        "warm": """
            Nice hat, {name}. Did you lose a bet?
            Careful, {name}, you almost looked organised today.
            Oh look, {name}'s on time! Somebody ring the bells.
            Still can't whistle, {name}? I'll teach you one day.
            fc: You snore like a walrus, {name}, and I say that with love.
        """,
        "neutral": """
            Late again, {name}?
            Did you get dressed in the dark this morning?
            I see you've been cooking again. The smoke gave it away.
            Another one of your famous plans, {name}?
        """,
        "cold": """
            Is that how you always look, or is today special?
            Did you think that through, {name}? No?
            I see you're still doing things the hard way.
        """,
        "hostile": """
            Look at you, {name}. Tragic.
            Does anyone actually take you seriously?
            Oh, it's the village genius.
        """,
    },
    "disagree": {
        "warm": """
            I see it a bit differently, {name}, if you don't mind me saying.
            I'm not sure I agree, but I'd love to hear your reasons.
            I think you might be wrong about this one, {name}. Hear me out?
            Hmm, I'd have done it another way. Can we talk it through?
        """,
        "neutral": """
            I don't agree, {name}.
            I think you're mistaken.
            That's not how I see it.
            I'd argue the opposite, actually.
        """,
        "cold": """
            No. You're wrong about that.
            I don't see it that way at all, {name}.
            That's simply not true.
            You haven't thought this through.
        """,
        "hostile": """
            That's the stupidest idea I've heard all week, {name}.
            Wrong. As usual.
            Are you even listening to yourself?
        """,
    },
    "argue": {
        "warm": """
            {name}, I care about you, but I'm angry about this.
            I need you to hear me: what you did really upset me.
        """,
        "neutral": """
            We need to talk about what you did, {name}.
            You can't just do that without asking me!
            I'm tired of this, {name}. It happens every time.
            That's not fair and you know it.
        """,
        "cold": """
            You never listen, {name}. Not once.
            Don't you walk away from me.
            I've had enough of your excuses.
            Everything's always someone else's fault with you.
        """,
        "hostile": """
            How dare you, {name}!
            You've got some nerve, after what you did.
            I'm sick of you and your lies!
            Don't you raise your voice at me!
            You ruin everything you touch, {name}!
        """,
    },
    "insult": {
        "neutral": """
            Honestly, {name}, that was pathetic.
            You really are hopeless.
        """,
        "cold": """
            You're not as clever as you think, {name}.
            Nobody likes you, {name}. Surely you've noticed.
            You have the charm of a wet sock.
            I've met fence posts with more sense.
            Were you always this dull, or is it new?
        """,
        "hostile": """
            You're a disgrace, {name}.
            You're a fool, and everyone knows it.
            Get out of my way, you useless lump.
            You're a worm, {name}. A spineless worm.
            Your mother must be so disappointed.
            s: Who let you in here, you oaf?
            fc: You were never my friend, {name}. You were just convenient.
        """,
    },
    "threaten": {
        "neutral": """
            I'm warning you, {name}. Don't.
            This is your last chance.
        """,
        "cold": """
            Be careful, {name}. Accidents happen.
            I'd stay out of my way, if I were you.
            Cross me again and you'll regret it.
            I know where you live, {name}.
        """,
        "hostile": """
            Touch my things again and I'll break your hands.
            You'll pay for this, {name}. Mark my words.
            One more word and you'll regret it.
            Stay away from me or else.
            I'll ruin you, {name}. Slowly.
        """,
    },
    "deceive": {
        "warm": """
            Oh, {name}, I'd never lie to you. I was home all night.
            Of course I returned your book! You must have misplaced it.
            Honestly, {name}, the mayor asked for you personally.
            It wasn't me, I promise. Cross my heart.
        """,
        "neutral": """
            I wasn't there, {name}. Ask anyone.
            The shipment's delayed. Nothing I can do.
            I already paid you back, remember?
            No, I haven't seen your key anywhere.
        """,
        "cold": """
            I was never near the maze this morning, {name}. Whatever you heard, it wasn't me.
            The hostess told me you're not wanted at supper, {name}.
            The letter was already open when I found it.
        """,
        "hostile": """
            Everyone knows it was you who broke the urn, {name}.
            Your so-called friends laugh at you behind your back, {name}. Ask any of them.
        """,
    },
    "betray": {
        "warm": """
            I'm sorry, {name}. I had to tell them everything.
            It's nothing personal, {name}. I had to look after myself.
        """,
        "neutral": """
            I told them your secret, {name}. It had to come out.
            I've taken the job you wanted. They chose me.
            I sided with them. It was the smart move.
        """,
        "cold": """
            I told everyone what you did, {name}.
            You were useful. Now you're not.
            Did you really think I was on your side?
        """,
        "hostile": """
            I sold you out, {name}, and I'd do it again.
            Everything I told you was a lie.
            You trusted me. That was your mistake.
        """,
    },
    "gossip": {
        "warm": """
            Have you heard about {subject}? Oh, you'll love this.
            Between you and me, {name}, {subject} has a secret admirer.
            Guess who I saw with {subject} by the mill? Go on, guess!
            I probably shouldn't say, but {subject} was in tears at the market.
        """,
        "neutral": """
            Did you hear what {subject} did?
            They say {subject} owes money all over town.
            {subject} was out very late last night. Just saying.
            I heard {subject} is leaving. Don't tell anyone.
        """,
        "cold": """
            {subject} is not what people think, {name}.
            I wouldn't trust {subject}, if I were you.
            You know {subject} talks about you behind your back?
        """,
        "hostile": """
            {subject} is a fraud, and I can prove it.
            Everyone knows {subject} is a liar. Everyone but you.
        """,
    },
    "share_secret": {
        "warm": """
            Can you keep a secret, {name}? {secret}.
            I've never told anyone this, but: {secret}.
            You're the only one I trust with this. {secret}.
            Promise you won't tell? {secret}.
        """,
        "neutral": """
            I need to tell someone. {secret}.
            Keep this to yourself, {name}: {secret}.
            I don't know why I'm telling you. {secret}.
        """,
        "cold": """
            Don't repeat this. {secret}.
            You'll find out anyway, so: {secret}.
        """,
        "hostile": """
            Fine, you want the truth? {secret}.
        """,
    },
    "reconcile": {
        "warm": """
            {name}, I miss us. Can we start again?
            Life's too short to stay angry. Friends?
            Whatever happened, you matter more to me than being right.
            Let's put it behind us, {name}. Please.
            c: I can't bear this silence between us, {name}.
        """,
        "neutral": """
            Can we call a truce, {name}?
            I think we should clear the air.
            Let's try to get along. For everyone's sake.
            I'd like to make peace, if you're willing.
        """,
        "cold": """
            I'm willing to forget it if you are.
            We don't have to like each other, but we can stop this.
            Let's end this. It's exhausting.
        """,
        "hostile": """
            I still think you were wrong, but let's stop fighting.
        """,
    },
}

REPLIES: dict[str, dict[str, str]] = {
    "greeting": {
        "warm": """
            Hello, {name}! I'm wonderful, thank you for asking.
            {name}! What a lovely surprise. I'm very well, and you?
            Oh, hello! I'm splendid. How are you?
            Good morning to you too, {name}! All the better for seeing you.
            afc: Hello! I was just thinking it's been too long.
            s: Hello! Lovely to meet you, {name}. I'm {me}.
            s: How nice to meet you! I'm {me}. Do call on me any time.
            fc: {name}! Come here. I'm so glad you came by.
            c: There you are! My day just got better.
        """,
        "neutral": """
            Hello, {name}. I'm well, thanks.
            Morning. Not bad, you?
            Hello. Fine, thank you.
            Good day, {name}.
            Ah, hello. Keeping busy. You?
            s: Hello. I'm {me}.
            s: Pleased to meet you, I'm sure. {me}.
            a: Hello again, {name}.
        """,
        "cold": """
            Oh. Hello, {name}. I'm fine.
            Hello.
            Fine.
            Mm. Morning.
            Yes, hello. Was there something?
            I'm busy, {name}, but hello.
            s: Do I know you?
            a: {name}. Hello.
        """,
        "hostile": """
            What do you want?
            Don't "hello" me, {name}.
            Oh, it's you. Go away.
            Save it, {name}.
            I've nothing to say to you.
            Keep walking.
        """,
    },
    "small_talk": {
        "warm": """
            Oh, I know! I love days like this.
            You may be right, {name}. Go on.
            Now that you mention it, I must try it.
            It's been a lovely week, thanks for asking. And yours?
            I could talk about this all day with you, {name}.
            s: How nice to chat with someone new!
            fc: You always know what to talk about, {name}.
        """,
        "neutral": """
            Mm, yes, I suppose so.
            Oh? I hadn't noticed.
            Could be. Hard to say.
            Right. Yes.
            That's true enough.
            s: Nice of you to stop and talk.
        """,
        "cold": """
            If you say so.
            Mm.
            I hadn't noticed. Nor cared.
            Is that so.
            Right.
        """,
        "hostile": """
            Why are you telling me this?
            I don't care, {name}.
            Spare me the chatter.
            Do you ever stop talking?
        """,
    },
    "compliment": {
        "warm": """
            Oh, {name}, that's so sweet of you!
            Thank you! You've made my whole day.
            You're too kind, {name}. Really.
            Coming from you, that means a great deal.
            Oh, stop it. But thank you!
            c: You always know how to cheer me up, {name}.
        """,
        "neutral": """
            Oh. Thank you.
            Thanks, {name}.
            That's kind of you to say.
            Well, thank you. I think.
        """,
        "cold": """
            Right. Thanks.
            If you say so.
            What do you want, {name}?
            Flattery won't get you anywhere.
        """,
        "hostile": """
            Spare me your flattery, {name}.
            I don't need your approval.
            Is that supposed to impress me?
            Save your sweet talk for someone who cares.
        """,
    },
    "joke": {
        "warm": """
            Ha! Oh, {name}, that's terrible. I love it!
            Ha ha! Stop, my sides hurt!
            Oh, that's a good one. I'm stealing it.
            You're hopeless, {name}. Tell me another!
            Ha! I didn't see that coming.
            fc: You never fail to make me laugh, {name}.
        """,
        "neutral": """
            Heh. Cute.
            Ha. Not bad.
            Oh, I've heard that one before. Still good.
            That's... actually a little funny.
            Ha. Very good.
        """,
        "cold": """
            Was that a joke?
            I don't get it.
            Hilarious.
            Mm. Very droll.
            Is that supposed to be funny?
        """,
        "hostile": """
            You're not funny, {name}.
            Save your jokes for the tavern.
            Was that meant for me? Pathetic.
            Don't quit your day job.
        """,
    },
    "confide": {
        "warm": """
            Oh, {name}. Thank you for telling me. I'm here for you.
            You're not alone in this. We'll figure it out together.
            I'm so glad you told me. Come, sit with me.
            That sounds so hard. What do you need?
            c: You can always tell me anything, {name}. Always.
        """,
        "neutral": """
            I see. That must be difficult.
            Thank you for telling me. I hope it gets better.
            I'm sorry to hear that, {name}.
            Hm. Do you want advice, or just to talk?
        """,
        "cold": """
            Why are you telling me this?
            I'm sure it'll pass.
            Everyone has problems, {name}.
            Right. Well. Chin up.
        """,
        "hostile": """
            I don't want to hear it, {name}.
            Your problems are not my concern.
            Maybe you brought it on yourself.
            Spare me the sob story.
        """,
    },
    "ask_for_help": {
        "warm": """
            Of course, {name}! What do you need?
            I'd be glad to help. Lead the way!
            Say no more. I'm all yours.
            Anything for you, {name}.
            fc: Absolutely. That's what friends are for.
            s: Of course! Happy to help.
        """,
        "neutral": """
            I suppose I can spare an hour.
            All right. What is it?
            I can help a little, yes.
            Fine, {name}. Show me.
        """,
        "cold": """
            I'm busy, {name}.
            Ask someone else.
            I suppose, if I must.
            Not today.
        """,
        "hostile": """
            Help you? After everything? No.
            Why would I lift a finger for you, {name}?
            Absolutely not.
            Find someone else to use.
        """,
    },
    "help": {
        "warm": """
            Thank you so much, {name}! You're a lifesaver.
            Oh, you shouldn't have! Thank you!
            I don't know what I'd do without you, {name}.
            You're an angel. I owe you one.
            c: What would I do without you, {name}?
        """,
        "neutral": """
            Thanks, {name}. That's helpful.
            Oh. Thank you.
            I appreciate it.
            That's good of you.
        """,
        "cold": """
            I didn't ask for your help.
            I had it under control.
            Fine. Thanks, I suppose.
            Don't expect me to owe you.
        """,
        "hostile": """
            I didn't need your charity, {name}.
            What's the catch?
            Stay out of my business.
            Help from you? I'd rather not.
        """,
    },
    "gift": {
        "warm": """
            Oh, {name}! It's beautiful. Thank you!
            For me? You're too good to me!
            I love it! How did you know?
            Oh, you sweetheart. Thank you so much.
            c: I'll treasure it always, {name}.
        """,
        "neutral": """
            Oh. Thank you, {name}.
            That's kind. Thanks.
            How thoughtful. Thank you.
            Oh, you didn't have to.
        """,
        "cold": """
            What's this for?
            I suppose I'll find a place for it.
            Hm. Thanks.
            What do you want in return?
        """,
        "hostile": """
            I don't want your gifts, {name}.
            Keep it.
            Are you trying to buy me?
            Is this some kind of trick?
        """,
    },
    "flirt": {
        "warm": """
            Oh, {name}! You're making me blush.
            I'd love to. I was hoping you'd ask.
            You're quite charming yourself, you know.
            Keep talking like that and I might fall for you.
            I'd walk anywhere with you, {name}.
        """,
        "neutral": """
            Oh. Well. That's... flattering.
            Maybe. Ask me again sometime.
            I'm not sure what to say, {name}.
            Ha. You're bold, I'll give you that.
        """,
        "cold": """
            I'm not interested, {name}.
            Let's keep things as they are.
            That's a little forward.
            I think you've misread the situation.
        """,
        "hostile": """
            Don't even think about it.
            You must be joking, {name}.
            Not in a hundred years.
            Keep your hands and your words to yourself.
        """,
    },
    "apologise": {
        "warm": """
            Thank you, {name}. Of course I forgive you.
            Oh, come here. It's all forgotten.
            That means a lot. Let's put it behind us.
            I'm sorry too, {name}. Friends again?
            I knew you'd come round. Thank you.
        """,
        "neutral": """
            Thank you for saying that.
            All right. Apology accepted.
            I appreciate it, {name}.
            Let's move on, then.
        """,
        "cold": """
            It'll take more than words, {name}.
            Noted.
            I'll think about it.
            Sorry doesn't fix it.
        """,
        "hostile": """
            Too little, too late.
            Keep your apology, {name}.
            You're not sorry. You're caught.
            I don't forgive you.
        """,
    },
    "tease": {
        "warm": """
            Ha! You're one to talk, {name}.
            Oh, stop it! You'll pay for that.
            I'll have you know this is the height of fashion!
            fc: Cheek! I love you too, {name}.
            fc: Says the one who snores like a foghorn.
        """,
        "neutral": """
            Very funny, {name}.
            Ha. Ha.
            Oh, is that so?
            I'll let that one slide.
        """,
        "cold": """
            Are you finished?
            That's not funny, {name}.
            Grow up.
            Charming.
        """,
        "hostile": """
            Say that again and see what happens.
            Watch your mouth, {name}.
            Laugh while you can.
            You think you're clever? You're not.
        """,
    },
    "disagree": {
        "warm": """
            That's fair, {name}. Maybe you're right.
            Good point. I hadn't thought of it like that.
            Let's agree to disagree, then. Tea?
            I love that you keep me honest.
        """,
        "neutral": """
            Well, we see it differently.
            I still think I'm right.
            Hm. Perhaps.
            Let's agree to disagree.
        """,
        "cold": """
            I didn't ask for your opinion.
            You're entitled to be wrong, {name}.
            We'll see who's right.
            Think what you like.
        """,
        "hostile": """
            Nobody cares what you think, {name}.
            You'd disagree with the sunrise.
            Keep your opinions to yourself.
            Contradict me again. I dare you.
        """,
    },
    "argue": {
        "warm": """
            You're right to be upset. Let's sort this out, {name}.
            I hear you. I'm sorry it came to this.
            Please, let's not fight. I hate fighting with you.
        """,
        "neutral": """
            That's not what happened, {name}.
            You're twisting my words.
            Let's both calm down.
            I see it very differently.
        """,
        "cold": """
            Are you quite finished?
            Believe what you like.
            I don't have to explain myself to you.
            Here we go again.
        """,
        "hostile": """
            Me? You're the one who started this, {name}!
            Don't you dare blame me!
            Get out of my sight!
            You're impossible!
            I've had it with you, {name}!
        """,
    },
    "insult": {
        "warm": """
            That hurt, {name}. I hope you're all right.
            I don't think you mean that. What's wrong?
            Oh, {name}. Are you having a bad day?
        """,
        "neutral": """
            That's not very kind, {name}.
            There's no need for that.
            I'll pretend I didn't hear that.
            Why would you say that?
        """,
        "cold": """
            Charming, {name}. Really charming.
            Is that the best you can do?
            I don't have to listen to this.
            Right. We're done here.
        """,
        "hostile": """
            How dare you, {name}!
            Say that again. I dare you.
            You'll regret that.
            At least I'm not you.
            Look who's talking, {name}!
        """,
    },
    "threaten": {
        "warm": """
            Please, {name}, there's no need for this. Let's talk.
            I don't want trouble. Whatever's wrong, we can fix it.
        """,
        "neutral": """
            I... I'll stay out of your way.
            Are you threatening me, {name}?
            I'd think very carefully about that.
            You don't scare me. Much.
        """,
        "cold": """
            Is that a threat, {name}?
            You don't frighten me.
            Try it and see.
            I'll remember you said that.
        """,
        "hostile": """
            Go on, then. Try it.
            Threaten me again and see what happens!
            You'll regret this, {name}.
            Big words. Let's see you back them up.
        """,
    },
    "deceive": {
        "warm": """
            Oh, of course! I'm sorry I doubted you, {name}.
            I believe you. Silly me.
            That makes sense. Thank you for explaining.
        """,
        "neutral": """
            All right. If you say so.
            I suppose that explains it.
            Fine. I'll take your word for it.
        """,
        "cold": """
            You're lying, {name}. I can see it.
            Do you take me for a fool?
            That's not what I heard.
            I know that isn't true.
        """,
        "hostile": """
            Liar! I know exactly what you did!
            Don't you dare lie to my face, {name}.
            I saw you with my own eyes!
            Every word out of your mouth is a lie.
        """,
    },
    "betray": {
        "warm": """
            How could you, {name}? I trusted you.
            I... I thought we were friends.
        """,
        "neutral": """
            I don't understand. Why, {name}?
            So that's what I meant to you.
            I'll never make that mistake again.
        """,
        "cold": """
            I'll remember this, {name}.
            We're finished.
            I should have known.
            Don't ever speak to me again.
        """,
        "hostile": """
            You traitor! You'll pay for this!
            After everything I did for you, {name}!
            I'll make you regret this for the rest of your life.
            Get out! Get out of my sight!
        """,
    },
    "gossip": {
        "warm": """
            No! Tell me everything!
            Really? About {subject}? I never would have guessed!
            Oh, {name}, you're terrible. Go on, then.
            I knew there was something going on with {subject}!
        """,
        "neutral": """
            Is that so?
            Hm. I'm not sure that's our business, {name}.
            I'd heard something like that.
            Maybe. People say a lot of things.
        """,
        "cold": """
            I don't listen to gossip.
            That's {subject}'s business, not ours.
            You shouldn't talk about people like that.
            And what do you say about me when I'm not here?
        """,
        "hostile": """
            Leave {subject} out of this, {name}.
            Spreading rumours again? Typical.
            I don't believe a word you say.
            Shame on you.
        """,
    },
    "share_secret": {
        "warm": """
            Your secret is safe with me, {name}. I promise.
            Thank you for trusting me with that.
            Oh, {name}. I'll take it to my grave.
            I won't breathe a word. I'm honoured you told me.
        """,
        "neutral": """
            I see. I won't tell anyone.
            That's... quite something.
            Well. That explains a lot.
            I'll keep it to myself.
        """,
        "cold": """
            Why are you telling me this?
            I didn't need to know that.
            That's your problem, {name}.
        """,
        "hostile": """
            Interesting. I wonder who else would like to know.
            You shouldn't have told me that, {name}.
            That could be very useful to me.
        """,
    },
    "reconcile": {
        "warm": """
            Oh, {name}, I've missed you too. Yes!
            Friends. Always.
            I'd like that more than anything.
            Come here. Let's never do that again.
        """,
        "neutral": """
            All right. Let's try.
            A truce, then.
            I'm willing if you are.
            We can start over, I suppose.
        """,
        "cold": """
            I'm not ready, {name}.
            It's not that simple.
            Maybe. In time.
            Words are cheap.
        """,
        "hostile": """
            After what you did? Never.
            There's no going back, {name}.
            Don't waste your breath.
            Make peace with someone else.
        """,
    },
}

# What a guarded speaker ("deflects, answers a question with a question") says first, by tone.
DEFLECTIONS: dict[str, tuple[str, ...]] = {
    "warm": (
        "Why do you ask, {name}?", "Is that really what you want to know?",
        "And what about you, {name}?", "Does it matter so much?", "Who wants to know?",
        "You first, {name}?", "What makes you say that?",
    ),
    "neutral": (
        "Why do you ask?", "What's it to you, {name}?", "Who's asking?",
        "Does it matter?", "And you, {name}?", "Why would you want to know that?",
        "What makes you think so, {name}?",
    ),
    "cold": (
        "Why should I tell you, {name}?", "What's it to you?", "Who told you to ask that?",
        "Is that any of your business, {name}?", "Why do you care?",
    ),
    "hostile": (
        "Who do you think you are, {name}?", "What is that supposed to mean?",
        "Are you trying to provoke me, {name}?", "Do you really want to do this?",
    ),
}  # fmt: skip

# Hesitation markers for shy or anxious speakers.
HESITATIONS: tuple[str, ...] = ("Um, ", "Er, ", "Uh, ", "Um... ", "Um, well, ", "Oh, um, ")

# References back to a shared event ({history}), by tone.
HISTORY: dict[str, tuple[str, ...]] = {
    "warm": (
        "Just like at {history}!",
        "Remember {history}?",
        "It reminds me of {history}.",
        "Like at {history}.",
    ),
    "neutral": ("Like at {history}.", "A bit like {history}.", "As at {history}, really."),
    "cold": ("Not like at {history}, I hope.", "I remember {history}, you know."),
    "hostile": (
        "After {history}? Really?",
        "I haven't forgotten {history}.",
        "Don't think I've forgotten {history}.",
    ),
}

# Markers a strong emotion puts in front of a line: (prefix, ...) per emotion. Words the
# speaker says, never stage directions ("(nervously)", "*sighs*"): a line is what is said.
EMOTION_PREFIXES: dict[str, tuple[str, ...]] = {
    "joy": ("Ha! ", "Oh, splendid! ", "How lovely! ", "Marvellous! "),
    "sadness": ("Oh... ", "Well... "),
    "anger": ("Look, ", "Listen to me. "),
    "fear": ("I-I... ", "Oh dear... "),
    "surprise": ("Oh! ", "Goodness! "),
    "disgust": ("Ugh. ", "Really? "),
    "anticipation": ("So! ", "At last! "),
    "trust": (),
}
