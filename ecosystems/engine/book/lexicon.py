"""Small hand-made word lists the book engine's rules read (names, titles, verbs, traits)."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FEMALE_NAMES = words(
    """Abigail Ada Adela Adelaide Agatha Agnes Alice Alicia Amelia Amy Anastasia Angela Ann Anna
    Anne Annabella Arabella Augusta Barbara Beatrice Bella Bertha Betsy Blanche Bridget Camilla
    Caroline Cassandra Catherine Cecilia Cecily Charlotte Clara Clarissa Constance Cordelia
    Cora Daisy Diana Dinah Dolly Dora Dorothea Dorothy Edith Eleanor Elinor Eliza Elizabeth
    Ella Ellen Eloise Elsie Emily Emma Esther Ethel Eugenia Evelyn Fanny Flora Florence Frances
    Georgiana Grace Hannah Harriet Helen Helena Henrietta Hester Isabel Isabella Jane Janet Jemima
    Jenny Jessica Joan Josephine Judith Julia Juliet Kate Katherine Kitty Laura Lavinia Leah Lilian
    Lily Lizzy Lizzie Louisa Louise Lucy Lydia Mabel Margaret Maria Marian Marianne Martha Mary
    Matilda Maud Meg Mildred Millicent Miriam Molly Nancy Nell Nelly Olivia Penelope Phoebe
    Polly Priscilla Rachel Rebecca Rose Rosamond Ruth Sally Sarah Sophia Sophie Susan Susanna
    Sybil Theresa Victoria Violet Winifred"""
)

MALE_NAMES = words(
    """Aaron Adam Albert Alexander Alfred Algernon Andrew Anthony Arthur Augustus Basil Benjamin
    Bertram Charles Christopher Clement Daniel David Denis Dick Edgar Edmund Edward Edwin Ernest
    Felix Francis Frank Frederick Fred Geoffrey George Gerald Gilbert Godfrey Gregory Harold Harry
    Henry Herbert Hugh Humphrey Isaac Jack Jacob James Jasper Jem Jim Joe John Jonathan Joseph
    Joshua Julian Kit Lawrence Lewis Louis Mark Martin Matthew Michael Nathaniel Ned Nicholas
    Oliver Oscar Patrick Paul Percy Peter Philip Ralph Richard Robert Roger Samuel Simon Stephen
    Theodore Thomas Tim Timothy Tom Tony Victor Walter William Will Bill"""
)

# hypocorism -> the given name it stands for (both spellings then count as one person)
HYPOCORISMS = {
    "Lizzy": "Elizabeth",
    "Lizzie": "Elizabeth",
    "Eliza": "Elizabeth",
    "Liz": "Elizabeth",
    "Beth": "Elizabeth",
    "Betsy": "Elizabeth",
    "Bess": "Elizabeth",
    "Bessie": "Elizabeth",
    "Libby": "Elizabeth",
    "Kitty": "Catherine",
    "Kate": "Catherine",
    "Katie": "Catherine",
    "Kathy": "Catherine",
    "Katherine": "Catherine",
    "Molly": "Mary",
    "Polly": "Mary",
    "Peggy": "Margaret",
    "Meg": "Margaret",
    "Maggie": "Margaret",
    "Fanny": "Frances",
    "Sally": "Sarah",
    "Nancy": "Anne",
    "Annie": "Anne",
    "Ann": "Anne",
    "Patsy": "Martha",
    "Dolly": "Dorothy",
    "Sukey": "Susan",
    "Sue": "Susan",
    "Susie": "Susan",
    "Nelly": "Eleanor",
    "Nell": "Eleanor",
    "Becky": "Rebecca",
    "Jenny": "Jane",
    "Georgy": "Georgiana",
    "Bill": "William",
    "Billy": "William",
    "Will": "William",
    "Willy": "William",
    "Bob": "Robert",
    "Bobby": "Robert",
    "Rob": "Robert",
    "Tom": "Thomas",
    "Tommy": "Thomas",
    "Charley": "Charles",
    "Charlie": "Charles",
    "Jack": "John",
    "Johnny": "John",
    "Ned": "Edward",
    "Ted": "Edward",
    "Teddy": "Edward",
    "Dick": "Richard",
    "Harry": "Henry",
    "Jim": "James",
    "Jimmy": "James",
    "Jem": "James",
    "Sam": "Samuel",
    "Sammy": "Samuel",
    "Ben": "Benjamin",
    "Fred": "Frederick",
    "Freddy": "Frederick",
    "Nick": "Nicholas",
    "Joe": "Joseph",
    "Mike": "Michael",
    "Dan": "Daniel",
    "Tony": "Anthony",
    "Andy": "Andrew",
    "Pete": "Peter",
    "Phil": "Philip",
    "Steve": "Stephen",
    "Tim": "Timothy",
    "Walt": "Walter",
}

MALE_TITLES = words(
    "Mr Mister Master Sir Lord Colonel Col Captain Capt General Major Lieutenant Lieut Sergeant "
    "Admiral Reverend Rev Dr Doctor Professor Prof Uncle Count Duke Squire"
)
FEMALE_TITLES = words("Mrs Miss Ms Lady Dame Madam Madame Aunt Countess Duchess Mistress")
TITLES = MALE_TITLES | FEMALE_TITLES
# titles that go with a given name ("Sir William", "Lady Catherine") rather than a surname
GIVEN_NAME_TITLES = words("Sir Lady Lord Dame")
# lowercase particles inside a surname ("Lady Catherine de Bourgh")
NAME_PARTICLES = words("de De du van von der le la di da")

# capitalised words that are never a person's name on their own
NOT_NAMES = words(
    """Chapter Volume Book Part Preface Contents The A An And But Or Nor For So Yet If Then When
    While Where What Who Whom Whose Which Why How Oh Ah Alas Aye Yes No Nay Well Now There Here
    This That These Those It Its He She His Her Him They Them Their We Us Our You Your My Me Mine
    I Sir Madam Ma'am Lord Lady God Heaven Heavens Providence Christ Jesus Bible Church Monday
    Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Christmas Easter Michaelmas Lent English French
    Scotch Irish British Italian German Spanish Dutch Indian Mamma Mama Papa Mother Father
    Brother Sister Aunt Uncle Cousin Miss Mrs Mr Master Mistress Colonel Captain Dr Doctor
    King Queen Prince Princess Majesty Highness Grace Honour Excellency Dear Good Poor Pray
    Nothing Everything Everybody Nobody Somebody Anything Indeed Certainly Perhaps Upon Only
    Not Do Does Did Is Was Were Are Be Have Had Has Let Shall Will Would Could Should Can May
    Might Must Without With After Before Since Though Although Because Till Until At In On Of By
    To From Into Dearest Esq Esquire Mrs Gutenberg Project Ebook EBook Mount Hill Park Street"""
)

# a capitalised word right after one of these, or followed by PLACE_HEADS, names a place
PLACE_PREPOSITIONS = words("at in from near into towards toward through within about around beyond")
PLACE_HEADS = words(
    """Park Hall House Lodge Place Street Square Road Lane Abbey Castle Court Manor Cottage Green
    Hill Wood Woods Farm Grange Terrace Row Gardens Garden Church Chapel Inn Arms Bridge River
    Lake Common Heath Moor Cross Gate Gates Parsonage Rectory Vicarage Priory Mill Shire Town
    City County Village Valley Forest Bay Island Street's"""
)
PLACE_SUFFIXES = ("shire", "ford", "bury", "borough", "chester", "minster", "wick", "mouth")

SPEECH_VERBS = words(
    """said says say replied replies returned answered answers asked asks added adds continued
    observed exclaimed rejoined resumed whispered repeated began begins interrupted remarked
    retorted declared muttered shouted called murmured persisted insisted urged explained
    protested concluded inquired enquired demanded responded sighed laughed faltered stammered
    screamed admitted agreed cried cries thought urged pursued reasoned owned confessed added
    sobbed groaned gasped growled snapped whimpered wailed yelled told tells spoke speaks
    pleaded begged warned proposed suggested announced assented objected interposed
    acknowledged argued"""
)

# relational nouns used as a said-verb subject ("cried her mother")
RELATION_NOUNS = {
    "mother": ("female", "parent"),
    "father": ("male", "parent"),
    "wife": ("female", "spouse"),
    "husband": ("male", "spouse"),
    "sister": ("female", "sibling"),
    "brother": ("male", "sibling"),
    "daughter": ("female", "child"),
    "son": ("male", "child"),
    "aunt": ("female", "aunt"),
    "uncle": ("male", "uncle"),
    "cousin": (None, "cousin"),
    "niece": ("female", "niece"),
    "nephew": ("male", "nephew"),
    "friend": (None, "friend"),
    "lady": ("female", "other"),
    "mamma": ("female", "parent"),
    "mama": ("female", "parent"),
    "papa": ("male", "parent"),
    "companion": (None, "friend"),
    "lover": (None, "lover"),
    "guest": (None, "other"),
    "visitor": (None, "other"),
}
FAMILY_KINDS = frozenset(
    {"parent", "sibling", "child", "aunt", "uncle", "cousin", "niece", "nephew"}
)

# --- sentiment: a small general lexicon (word -> valence -1..1) -----------------------------------
POSITIVE = words(
    """good great happy happiness glad pleased pleasure delight delighted delightful love loved
    lovely loving kind kindness dear dearest charming agreeable amiable excellent fine beautiful
    handsome pretty admire admired admiration grateful gratitude thank thanks thankful hope
    hoped wonderful perfect pleasant sweet gentle generous honour honourable respect esteem
    affection affectionate friend friendly fond joy joyful merry cheerful comfort comfortable
    proud_of praise worthy sensible clever wise best better right true sincere warm welcome
    approve approved approval bless blessed lucky fortunate satisfied satisfaction superior
    elegant obliged oblige polite civil civility tender smile smiled laugh"""
)
NEGATIVE = words(
    """bad ill evil wicked hate hated hateful dislike disliked angry anger vexed vex vexation
    cruel unkind rude insolent insult insulted impertinent impertinence proud pride conceited
    disagreeable odious shocking shocked shameful shame disgrace disgraceful wretched miserable
    misery unhappy sad sorrow sorry grief pain painful fear afraid terrible horrible dreadful
    abominable contempt contemptuous scorn ridiculous stupid silly foolish folly nonsense wrong
    false deceit deceived deceitful lie lies liar resent resentment offended offence offense
    mortified mortifying blame reproach severe cold ungrateful selfish mean vulgar tiresome
    tedious distress distressed uneasy anxiety anxious worse worst fault faults detest
    despise despised indignant indignation jealous jealousy spite spiteful quarrel"""
)

# --- Big Five marker words (after LIWC-style category findings; see traits.py) ------------------
BIG_FIVE_MARKERS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "openness": (
        words(
            """imagine imagination idea ideas fancy curious curiosity wonder art music book books
            read reading poetry novel novels beauty beautiful taste travel new strange think
            thought reflect reflection understand understanding nature picturesque learn
            knowledge study opinion opinions philosophy interesting character characters"""
        ),
        words("""usual always proper custom habit plain simple ordinary same dull common"""),
    ),
    "conscientiousness": (
        words(
            """duty proper propriety careful care order must ought business plan plans settle
            settled regular prudent prudence responsible attention attend punctual serious
            principle principles correct decorum economy manage arrangement arrangements"""
        ),
        words("""careless idle forget forgot forgotten hurry lazy thoughtless wild imprudent
            heedless fun nonsense flirt scrape"""),
    ),
    "extraversion": (
        words(
            """ball balls dance dancing danced party parties company talk talking laugh laughed
            laughing fun merry lively visit visits visiting officers everybody everyone
            delightful glorious vastly monstrous jokes joke we us together friends"""
        ),
        words("""quiet alone solitude silent silence reserved reserve shy retire retired
            private myself read reading walk"""),
    ),
    "agreeableness": (
        words(
            """kind kindness dear dearest thank thanks glad pleased please grateful forgive
            gentle good sweet amiable agree agreed hope help happy love affection tender
            generous indulgent sympathy compassion sorry candour candid"""
        ),
        words("""insolent impertinent odious hate despise contempt scorn proud pride
            ridiculous stupid silly obstinate headstrong angry resent resentment refuse
            insist insisted nonsense abominable tiresome disagreeable"""),
    ),
    "neuroticism": (
        words(
            """nerves nervous fear afraid worry worried anxious anxiety distress distressed
            miserable wretched poor alarm alarmed terrible dreadful vexed uneasy agitation
            agitated shocked shocking sorrow grief unhappy dread tremble cry crying spasms"""
        ),
        words("""calm composed composure easy tranquil quiet content cheerful steady
            patience patient serene comfortable"""),
    ),
}

# trait adjectives in narration ("Jane was gentle") -> (trait, +1 or -1)
TRAIT_ADJECTIVES: dict[str, tuple[str, int]] = {
    "lively": ("extraversion", 1),
    "playful": ("extraversion", 1),
    "talkative": ("extraversion", 1),
    "sociable": ("extraversion", 1),
    "reserved": ("extraversion", -1),
    "silent": ("extraversion", -1),
    "shy": ("extraversion", -1),
    "grave": ("extraversion", -1),
    "quiet": ("extraversion", -1),
    "amiable": ("agreeableness", 1),
    "gentle": ("agreeableness", 1),
    "kind": ("agreeableness", 1),
    "sweet": ("agreeableness", 1),
    "good-humoured": ("agreeableness", 1),
    "obliging": ("agreeableness", 1),
    "proud": ("agreeableness", -1),
    "haughty": ("agreeableness", -1),
    "insolent": ("agreeableness", -1),
    "disagreeable": ("agreeableness", -1),
    "conceited": ("agreeableness", -1),
    "rude": ("agreeableness", -1),
    "sensible": ("conscientiousness", 1),
    "prudent": ("conscientiousness", 1),
    "careful": ("conscientiousness", 1),
    "steady": ("conscientiousness", 1),
    "wild": ("conscientiousness", -1),
    "thoughtless": ("conscientiousness", -1),
    "silly": ("conscientiousness", -1),
    "imprudent": ("conscientiousness", -1),
    "idle": ("conscientiousness", -1),
    "clever": ("openness", 1),
    "witty": ("openness", 1),
    "intelligent": ("openness", 1),
    "curious": ("openness", 1),
    "accomplished": ("openness", 1),
    "ignorant": ("openness", -1),
    "narrow": ("openness", -1),
    "nervous": ("neuroticism", 1),
    "anxious": ("neuroticism", 1),
    "fretful": ("neuroticism", 1),
    "irritable": ("neuroticism", 1),
    "uneasy": ("neuroticism", 1),
    "calm": ("neuroticism", -1),
    "composed": ("neuroticism", -1),
    "serene": ("neuroticism", -1),
    "cheerful": ("neuroticism", -1),
}

VALUE_MARKERS: dict[str, frozenset[str]] = {
    "family": words(
        "family sister sisters mother father daughter daughters brother children home aunt uncle"
    ),
    "wealth": words("fortune money rich pounds estate income thousand wealth property settlement"),
    "status": words(
        "rank consequence connections connection station noble distinguished superior "
        "family's situation degree society"
    ),
    "love": words("love loved heart affection attachment passion admire admired tender"),
    "duty": words("duty ought must obliged obligation proper propriety principle"),
    "honesty": words("truth true honest honesty sincere sincerity candid candour deceive deceit"),
    "reputation": words(
        "character reputation credit respectable respectability disgrace shame name"
    ),
    "pleasure": words("ball dance dancing fun amusement amusing party officers merry sport"),
    "knowledge": words(
        "read reading books study learning improve improvement understanding accomplished"
    ),
    "independence": words("independent independence choose choice free freedom liberty"),
}

FORMAL_WORDS = words(
    """indeed certainly assure assured perfectly exceedingly extremely sensible propriety
    consequence acquaintance condescension esteem madam sir beg honour obliged pray whilst
    therefore however entirely particularly undoubtedly shall"""
)
INFORMAL_WORDS = words(
    """lord la oh la! vastly monstrous fun ha la okay yeah gonna wanna ain't hey damn
    nonsense quite shocking famous"""
)
